// The page's base VM state uncompressed (what shipped task states are patches against), and zstd unpacking.
import { createDCtx, decompress, decompressUsingDict, freeDCtx, init } from "@bokuweb/zstd-wasm";
import { stateManifestFileFor, VM_CACHE_NAME, type StateManifest } from "../image";

/** How long zstd's decoder may take to start (fetch and compile its 250 KB of wasm). */
export const DECODER_START_MS = 30_000;

let started: Promise<void> | undefined;

/**
 * zstd's wasm decoder, started once per page (or Node process); a failed start is tried again.
 * NOTE: when its wasm does not load, the decoder aborts and its start never settles: the time limit
 * turns that into an error (a shipped state then sets up afresh instead of waiting for ever).
 */
function decoder(): Promise<void> {
  started ??= new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`zstd's decoder did not start in ${DECODER_START_MS / 1000} s`)),
      DECODER_START_MS,
    );
    init()
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  }).catch((error: unknown) => {
    started = undefined;
    throw error;
  });
  return started;
}

/** Unpacks one zstd frame that records its size. */
export async function unzstd(packed: Uint8Array): Promise<Uint8Array> {
  await decoder();
  return decompress(packed);
}

/**
 * Unpacks a zstd patch against `base` (a frame made with `zstd --patch-from=<base>`, which records its
 * size): the base is its dictionary, so the patch holds only what differs, at any offset.
 * NOTE: against another base the frame's checksum fails (zstd writes one by default), so a wrong base
 * throws rather than giving a wrong state; callers check the result's hash all the same.
 */
export async function unzstdPatch(packed: Uint8Array, base: Uint8Array): Promise<Uint8Array> {
  await decoder();
  const context = createDCtx();
  try {
    return decompressUsingDict(context, packed, base);
  } finally {
    freeDCtx(context);
  }
}

async function cachedOrFetched(url: URL, fetcher: typeof fetch): Promise<Uint8Array> {
  // NOTE: the page kept the file in Cache Storage when it booted from it (browser-vm.ts).
  const cache = typeof caches === "undefined" ? undefined : await caches.open(VM_CACHE_NAME);
  const response = (await cache?.match(url)) ?? (await fetcher(url));
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const loaded = new Map<string, Promise<{ file: string; raw: Uint8Array }>>();

/**
 * The base state the page boots (vm/state.json's file), uncompressed: 30-40 MB, kept for the page's
 * life once asked for. NOTE: a failed load is forgotten, so the next task tries again.
 */
export function loadRawBaseState(
  vmUrl: URL,
  imageManifestFile: string,
  fetcher: typeof fetch = fetch.bind(globalThis),
): Promise<{ file: string; raw: Uint8Array }> {
  const key = new URL(imageManifestFile, vmUrl).href;
  let entry = loaded.get(key);
  if (!entry) {
    entry = (async () => {
      const url = new URL(stateManifestFileFor(imageManifestFile), vmUrl);
      const response = await fetcher(url, { cache: "no-cache" });
      if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
      const { file } = (await response.json()) as StateManifest;
      return { file, raw: await unzstd(await cachedOrFetched(new URL(file, vmUrl), fetcher)) };
    })();
    loaded.set(key, entry);
    entry.catch(() => loaded.delete(key));
  }
  return entry;
}
