/** Reads `observability:*` stack config into plain values for validation. */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./schema";

/** Structured values arrive as JSON; plain strings stay strings. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Every `observability:*` key the stack sets, known or not, so validation can refuse a
 * misspelt one instead of silently reading nothing.
 */
export function readAllRawConfig(): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = parseValue(text);
  }
  return raw;
}

export function hasConfig(key: string): boolean {
  return new pulumi.Config(CONFIG_NAMESPACE).get(key) !== undefined;
}
