/** Reads `observability:*` stack config into plain values for validation. */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./schema";

/** Structured values arrive as JSON; plain strings stay strings. */
export function parseConfigText(text: string): unknown {
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
  const raw = ownKeys(pulumi.runtime.allConfig());
  return Object.fromEntries(Object.entries(raw).map(([key, text]) => [key, parseConfigText(text)]));
}

/** The `observability:*` entries of a stack's config (`namespace:key` -> value), keyed without the namespace. */
export function ownKeys<T>(stackConfig: Record<string, T>): Record<string, T> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.fromEntries(Object.entries(stackConfig)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, value]) => [key.slice(prefix.length), value]));
}

export function hasConfig(key: string): boolean {
  return new pulumi.Config(CONFIG_NAMESPACE).get(key) !== undefined;
}
