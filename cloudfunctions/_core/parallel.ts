/**
 * Runs `run` over `items` with at most `limit` in flight and returns the results in input
 * order. In the cloud every database call is a round trip, so work per customer is run a few
 * at a time: enough to hide latency, few enough not to flood the database or trip its
 * concurrency limits.
 */
export async function inParallel<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
