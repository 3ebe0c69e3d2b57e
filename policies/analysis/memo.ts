/**
 * The pack's memoised lookups (reference data per service, action matches, ARN fits, parsed
 * documents): the same actions and ARNs recur across every document of a plan, so results are
 * kept for the life of the process. `forgetMemos()` empties them all; the tests call it before
 * each test, so every test computes what it checks instead of reading what an earlier one left.
 */
import * as fs from "fs";

const memos: Array<Map<unknown, unknown>> = [];

/** A Map registered as one of the pack's memos. */
export function memo<K, V>(): Map<K, V> {
  const map = new Map<K, V>();
  memos.push(map as Map<unknown, unknown>);
  return map;
}

export function forgetMemos(): void {
  for (const map of memos) map.clear();
}

/** `compute()`'s value for `key`, kept in `map` (one of the memos) and computed only when missing. */
export function remembered<K, V>(map: Map<K, V>, key: K, compute: () => V): V {
  if (map.has(key)) return map.get(key) as V;
  const value = compute();
  map.set(key, value);
  return value;
}

/** A value of package data read on first use and kept for the life of the process (not a memo: it never changes). */
export function once<T>(compute: () => T): () => T {
  let value: { readonly current: T } | undefined;
  return () => (value ??= { current: compute() }).current;
}

/**
 * A JSON file of an installed package (iam-data's data), read and parsed once per process and
 * frozen. Not a memo: what is kept is the file's content, not a result of the pack's code, so
 * `forgetMemos()` leaves it (every test still builds its lookups from it). Frozen, so no caller
 * can change what the next one reads.
 */
const files = new Map<string, unknown>();

export function packageJsonFile(file: string): unknown {
  if (!files.has(file)) files.set(file, deepFreeze(JSON.parse(fs.readFileSync(file, "utf8"))));
  return files.get(file);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}
