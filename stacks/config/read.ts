/** Reads `observability:*` stack config into plain values for validation. */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./schema";

/** Structured values arrive as JSON; plain strings stay strings. */
export function readRawConfig(keys: string[]): Record<string, unknown> {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const raw: Record<string, unknown> = {};
  for (const key of keys) {
    const text = config.get(key);
    if (text === undefined) continue;
    try {
      raw[key] = JSON.parse(text);
    } catch {
      raw[key] = text;
    }
  }
  return raw;
}

export function hasConfig(key: string): boolean {
  return new pulumi.Config(CONFIG_NAMESPACE).get(key) !== undefined;
}
