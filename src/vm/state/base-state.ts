// The page's base VM state uncompressed (what shipped task states are deltas against), and zstd unpacking.
import { ZSTDDecoder } from "zstddec";
import { stateManifestFileFor, VM_CACHE_NAME, type StateManifest } from "../image";

let decoder: Promise<ZSTDDecoder> | undefined;

/** Unpacks one zstd frame that records its size (zstd's wasm decoder, started once per page). */
export async function unzstd(packed: Uint8Array): Promise<Uint8Array> {
  decoder ??= (async () => {
    const d = new ZSTDDecoder();
    await d.init();
    return d;
  })();
  return (await decoder).decode(packed);
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
