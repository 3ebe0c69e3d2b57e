/**
 * Values that are not known yet. The offline plan writes them as the string "<unknown>";
 * the Pulumi engine sends one of its sentinel strings, which @pulumi/policy hides behind a
 * proxy that throws on access. Both end up as `UNKNOWN` in the plain records the rules read,
 * so a rule can say "cannot tell yet" instead of crashing or passing by accident.
 */

export const UNKNOWN = "<unknown>";

/** The engine's sentinels for unknown values (pulumi/sdk `rpc.ts`, @pulumi/policy `proxy.ts`). */
export const ENGINE_UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

export const ENGINE_UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && (value === UNKNOWN || ENGINE_UNKNOWN_SENTINELS.has(value));
}

/**
 * Copies resource properties into plain data. Reading an unknown field through
 * @pulumi/policy's proxy throws; that field becomes `UNKNOWN` here, and so does any raw
 * engine sentinel, so rules never see a proxy or a sentinel.
 */
export function toPlain(value: unknown): unknown {
  if (isUnknown(value)) return UNKNOWN;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i++) items.push(readField(value, i));
    return items;
  }
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(value)) plain[key] = readField(value as Record<string, unknown>, key);
  return plain;
}

function readField(container: Record<string | number, unknown> | unknown[], key: string | number): unknown {
  try {
    return toPlain((container as Record<string | number, unknown>)[key]);
  } catch {
    // The policy proxy throws UnknownValueError on an unknown field; nothing else throws on a read.
    return UNKNOWN;
  }
}
