/**
 * Stack config as the Pulumi CLI can set it. Strings are set as they are; lists and maps
 * are set leaf by leaf with `--path` keys (`pulumi:disable-default-providers[0]`), so the
 * stack file holds the same YAML structure the organisation model implies.
 */
export interface ConfigEntries {
  /** Keys set to plain string values. */
  plain: Record<string, string>;
  /** Path keys (set with `path: true`) for the leaves of structured values. */
  paths: Record<string, string>;
  /** Top-level keys holding structured values: removed first so no stale element survives. */
  structuredKeys: string[];
}

const SIMPLE_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function leafText(key: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Error(`config key ${key}: cannot set a ${value === null ? "null" : typeof value} value`);
}

function flatten(path: string, value: unknown, into: Record<string, string>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error(`config key ${path}: an empty list cannot be set by path`);
    value.forEach((item, index) => flatten(`${path}[${index}]`, item, into));
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) throw new Error(`config key ${path}: an empty map cannot be set by path`);
    for (const [name, item] of entries) {
      flatten(SIMPLE_SEGMENT.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`, item, into);
    }
  } else {
    into[path] = leafText(path, value);
  }
}

export function configEntries(config: Record<string, unknown>): ConfigEntries {
  const entries: ConfigEntries = { plain: {}, paths: {}, structuredKeys: [] };
  for (const [key, value] of Object.entries(config)) {
    if (value !== null && typeof value === "object") {
      entries.structuredKeys.push(key);
      flatten(key, value, entries.paths);
    } else {
      entries.plain[key] = leafText(key, value);
    }
  }
  return entries;
}
