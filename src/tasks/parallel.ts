// Runs work items on a fixed number of workers (one VM each, for example), results in input order.

/**
 * Starts `workers` workers (fewer when there are fewer items); each takes the next item until none
 * is left. `start` makes a worker's resource and `stop` releases it, even when an item throws.
 */
export async function mapOnWorkers<Item, Result, Resource>(
  items: readonly Item[],
  workers: number,
  start: () => Promise<Resource>,
  work: (item: Item, resource: Resource, index: number) => Promise<Result>,
  stop: (resource: Resource) => Promise<void>,
): Promise<Result[]> {
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`the number of workers must be a whole number >= 1, not ${workers}`);
  const results = new Array<Result>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const resource = await start();
    try {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as Item, resource, index);
      }
    } finally {
      await stop(resource);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, worker));
  return results;
}
