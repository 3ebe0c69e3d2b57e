/**
 * The pack's memoised lookups (reference data per service, action matches, ARN fits, parsed
 * documents): the same actions and ARNs recur across every document of a plan, so results are
 * kept for the life of the process. `forgetMemos()` empties them all; the tests call it before
 * each test, so every test computes what it checks instead of reading what an earlier one left.
 */
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
