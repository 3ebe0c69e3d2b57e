/**
 * Runs `task` over `items` with at most `limit` in flight; results keep the input order.
 * Each task is told its worker (0 .. limit-1): one worker runs one task at a time, so
 * anything keyed by worker (a workspace, a home directory) is never used by two tasks at once.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number, worker: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency bound must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  async function work(worker: number): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index, worker);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, (_, worker) => work(worker)));
  return results;
}
