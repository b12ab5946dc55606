/** Streams EventStoreDB reads at once for `readStreams`: enough to hide round trips, few enough not to flood it. */
export const STREAM_READ_CONCURRENCY = 8;

/**
 * `read` applied to every item, at most `concurrency` at a time; the results in input order. The first failure
 * is the answer, and no further item is started after it.
 */
export const mapBounded = async <Item, Result>(
  items: readonly Item[],
  read: (item: Item) => Promise<Result>,
  concurrency = STREAM_READ_CONCURRENCY,
): Promise<Result[]> => {
  const results = new Array<Result>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await read(items[index]!);
      } catch (error) {
        next = items.length;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, worker));
  return results;
};
