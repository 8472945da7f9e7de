// Unit tests of the blob loader: the v86 storage patch and the Cache Storage-backed fetch.
import { describe, expect, it } from "vitest";
import { cachedBlobLoader, useBlobLoader, type BlobCache } from "./blob-loader";

/** A blob storage of the shape v86 0.5.462 has; "inflating" doubles every byte. */
function makeStorage() {
  return {
    baseurl: "http://site/vm/fs/",
    cached: new Map<string, Uint8Array>(),
    originalLoads: [] as string[],
    zstd_decompress(size: number, data: Uint8Array): ArrayBuffer {
      return Uint8Array.from(data, (b) => b * 2).buffer.slice(0, size);
    },
    cache(name: string, data: Uint8Array): Promise<void> {
      this.cached.set(name, data);
      return Promise.resolve();
    },
    load_from_server(name: string, size: number): Promise<Uint8Array> {
      this.originalLoads.push(`${name}:${size}`);
      return Promise.resolve(new Uint8Array([9]));
    },
  };
}

describe("useBlobLoader", () => {
  it("fetches with the given loader, inflates .zst blobs and hands them to v86's cache", async () => {
    const storage = makeStorage();
    const urls: string[] = [];
    const load = (url: string) => {
      urls.push(url);
      return Promise.resolve(new Uint8Array([1, 2, 3]).buffer);
    };
    expect(useBlobLoader({ storage }, load)).toBe(true);
    expect(await storage.load_from_server("abc.zst", 3)).toEqual(new Uint8Array([2, 4, 6]));
    expect(await storage.load_from_server("plain", 3)).toEqual(new Uint8Array([1, 2, 3]));
    expect(urls).toEqual(["http://site/vm/fs/abc.zst", "http://site/vm/fs/plain"]);
    expect(storage.cached.get("abc.zst")).toEqual(new Uint8Array([2, 4, 6]));
    expect(storage.originalLoads).toEqual([]);
  });

  it("falls back to v86's own loader when the given one fails", async () => {
    const storage = makeStorage();
    useBlobLoader({ storage }, () => Promise.reject(new Error("offline")));
    expect(await storage.load_from_server("abc.zst", 1)).toEqual(new Uint8Array([9]));
    expect(storage.originalLoads).toEqual(["abc.zst:1"]);
  });

  it("leaves a storage of another shape alone", () => {
    expect(useBlobLoader({ storage: { baseurl: "x" } }, () => Promise.reject())).toBe(false);
    expect(useBlobLoader(undefined, () => Promise.reject())).toBe(false);
  });
});

/** A Cache Storage bucket in a map. */
function makeCache(): BlobCache & { entries: Map<string, Response> } {
  const entries = new Map<string, Response>();
  return {
    entries,
    match: (request) => Promise.resolve(entries.get(String(request))?.clone()),
    put: async (request, response) => void entries.set(String(request), response),
  } as BlobCache & { entries: Map<string, Response> };
}

describe("cachedBlobLoader", () => {
  it("downloads a blob once and serves it from the cache afterwards", async () => {
    const cache = makeCache();
    let downloads = 0;
    const fetcher = (() => {
      downloads++;
      return Promise.resolve(new Response(new Uint8Array([7, 8])));
    }) as unknown as typeof fetch;
    const load = cachedBlobLoader(fetcher, Promise.resolve(cache));
    expect(new Uint8Array(await load("http://site/vm/fs/a.zst"))).toEqual(new Uint8Array([7, 8]));
    expect(new Uint8Array(await load("http://site/vm/fs/a.zst"))).toEqual(new Uint8Array([7, 8]));
    expect(downloads).toBe(1);
  });

  it("fails on an HTTP error without caching it", async () => {
    const cache = makeCache();
    const fetcher = (() =>
      Promise.resolve(new Response("no", { status: 503 }))) as unknown as typeof fetch;
    const load = cachedBlobLoader(fetcher, Promise.resolve(cache));
    await expect(load("http://site/vm/fs/a.zst")).rejects.toThrow(/503/);
    expect(cache.entries.size).toBe(0);
  });

  it("only fetches when there is no cache", async () => {
    const fetcher = (() =>
      Promise.resolve(new Response(new Uint8Array([1])))) as unknown as typeof fetch;
    const load = cachedBlobLoader(fetcher, Promise.resolve(undefined));
    expect(new Uint8Array(await load("http://site/vm/fs/a"))).toEqual(new Uint8Array([1]));
  });
});
