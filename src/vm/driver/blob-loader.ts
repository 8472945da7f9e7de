// Lets the driver choose how v86 fetches the image's 9p blobs (in the page: through Cache Storage).

/** Fetches one blob by its URL; v86 inflates it. */
export type BlobLoader = (url: string) => Promise<ArrayBuffer>;

/**
 * The parts of v86 0.5.462's blob storage (`emulator.fs9p.storage`) replaced here; not in its types.
 * NOTE: re-check them when v86 is upgraded (warm-up.integration.test.ts fails when they change).
 */
interface V86BlobStorage {
  baseurl: string;
  zstd_decompress(size: number, data: Uint8Array): ArrayBuffer;
  cache(name: string, data: Uint8Array): Promise<void>;
  load_from_server(name: string, size: number): Promise<Uint8Array>;
}

function blobStorageOf(fs: unknown): V86BlobStorage | undefined {
  const storage = (fs as { storage?: Partial<V86BlobStorage> } | undefined)?.storage;
  return typeof storage?.baseurl === "string" &&
    typeof storage.zstd_decompress === "function" &&
    typeof storage.cache === "function" &&
    typeof storage.load_from_server === "function"
    ? (storage as V86BlobStorage)
    : undefined;
}

/**
 * Makes v86 fetch blobs with `load`; when `load` fails, v86's own loader (which retries) takes
 * over. Returns false when `fs` is not the file system expected (v86 then keeps its own loader).
 */
export function useBlobLoader(fs: unknown, load: BlobLoader): boolean {
  const storage = blobStorageOf(fs);
  if (!storage) return false;
  const original = storage.load_from_server.bind(storage);
  storage.load_from_server = async (name, size) => {
    let fetched: ArrayBuffer;
    try {
      fetched = await load(storage.baseurl + name);
    } catch {
      return original(name, size);
    }
    let data = new Uint8Array(fetched);
    if (name.endsWith(".zst")) data = new Uint8Array(storage.zstd_decompress(size, data));
    await storage.cache(name, data);
    return data;
  };
  return true;
}

/** What cachedBlobLoader needs of the Cache Storage API. */
export type BlobCache = Pick<Cache, "match" | "put">;

/**
 * Fetches blobs through `cache` (Cache Storage in the page), so a reload or a reset does not
 * download them again whatever the server's cache headers say. NOTE: blob names carry their content
 * hash, so a cached blob never goes stale. Without a cache, it only fetches.
 */
export function cachedBlobLoader(
  fetcher: typeof fetch,
  cache: Promise<BlobCache | undefined>,
): BlobLoader {
  return async (url) => {
    const store = await cache;
    const hit = await store?.match(url).catch(() => undefined);
    if (hit) return hit.arrayBuffer();
    const response = await fetcher(url);
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    // NOTE: not awaited: the guest is waiting for these bytes, and writing them to disk can take longer
    // than the download did. A full quota only means the next visit downloads the blob again.
    store?.put(url, response.clone()).catch(() => undefined);
    return response.arrayBuffer();
  };
}
