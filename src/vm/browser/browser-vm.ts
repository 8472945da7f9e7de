// Starts the VM in the page: downloads the image's boot files with progress, then restores (or cold-boots).
import defaultWasmUrl from "v86/build/v86.wasm?url";
import { cachedBlobLoader } from "../driver/blob-loader";
import { VmAssetError } from "../errors";
import {
  IMAGE_MANIFEST_FILE,
  kernelCmdline,
  stateManifestFileFor,
  stateMatches,
  VM_CACHE_NAME,
  V86_VERSION,
  type ImageManifest,
  type StateManifest,
} from "../image";
import { V86Vm, type VmBoot } from "../driver/v86-vm";
import { WARM_PATHS } from "../warm-up/warm-paths";
import type { WarmUpProgress } from "../warm-up/warm-up";
import type { ChannelAlarm } from "../vm";

export { VM_CACHE_NAME };

export type BootProgress =
  | { phase: "manifest" }
  | { phase: "download"; loadedBytes: number; totalBytes: number; cold: boolean }
  | { phase: "starting"; cold: boolean }
  | { phase: "ready" };

export interface BrowserVmOptions {
  /** URL of the folder holding image.json (for example new URL("vm/", document.baseURI)). */
  vmUrl: URL;
  /** Which image of vmUrl: image.json (our kernel, the default) or image-debian.json (the stock
   * kernel); each has its own saved state (state.json, state-debian.json). */
  imageManifest?: string;
  /** URL of v86.wasm (the copy Vite bundles, by default). */
  wasmUrl?: string;
  onProgress?: (progress: BootProgress) => void;
  fetch?: typeof fetch;
  /** Read the commonly needed files in the background after the first prompt (warm-up.ts); on by default. */
  warmUp?: boolean;
  /** Told how far the warm-up has got, after each (re)start and each of its steps. */
  onWarmUpProgress?: (progress: WarmUpProgress) => void;
  /** As V86VmOptions.tuneJit: on by default. */
  tuneJit?: boolean;
  /** As V86VmOptions.yieldOnSameThread, but on by default. */
  yieldOnSameThread?: boolean;
  /** As V86VmOptions.warmRestore: on by default. */
  warmRestore?: boolean;
  /** As V86VmOptions.onChannelAlarm. */
  onChannelAlarm?: (alarm: ChannelAlarm) => void;
}

/**
 * Fetches `url`, or throws a VmAssetError naming `what` that says what to do. NOTE: a 404 comes back
 * as a response when `missingOk` (the caller decides), like any other status that is not OK otherwise.
 */
async function fetchAsset(
  fetcher: typeof fetch,
  url: URL,
  what: string,
  options: { init?: RequestInit; missingOk?: boolean } = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetcher(url, options.init);
  } catch (error) {
    throw new VmAssetError(
      what,
      `${url.pathname} could not be fetched (${(error as Error).message}). Check the connection and retry.`,
    );
  }
  if (!response.ok && !(options.missingOk && response.status === 404))
    throw new VmAssetError(
      what,
      `${url.pathname} answered HTTP ${response.status}. Retry in a moment.`,
    );
  return response;
}

async function fetchJson<T>(fetcher: typeof fetch, url: URL, what: string): Promise<T | undefined> {
  const response = await fetchAsset(fetcher, url, what, {
    init: { cache: "no-cache" },
    missingOk: true,
  });
  return response.status === 404 ? undefined : ((await response.json()) as T);
}

async function openCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === "undefined" ? undefined : await caches.open(VM_CACHE_NAME);
  } catch {
    return undefined; // private windows and insecure origins have no Cache Storage
  }
}

/**
 * Downloads the files at once, reporting the bytes of all of them (cached copies count at once), and
 * keeps each in Cache Storage. The total is the sum of the responses' Content-Length (0 when absent).
 */
async function downloadAll(
  fetcher: typeof fetch,
  urls: URL[],
  onBytes: (loaded: number, total: number) => void,
): Promise<ArrayBuffer[]> {
  const cache = await openCache();
  const files = await Promise.all(
    urls.map(async (url) => {
      const cached = await cache?.match(url);
      return {
        url,
        cached: cached !== undefined,
        response: cached ?? (await fetchAsset(fetcher, url, "a VM boot file")),
      };
    }),
  );
  const total = files.reduce(
    (sum, { response }) => sum + Number(response.headers.get("content-length") ?? 0),
    0,
  );
  let loaded = 0;
  return Promise.all(
    files.map(async ({ url, cached, response }) => {
      const chunks: Uint8Array[] = [];
      const reader = response.clone().body?.getReader();
      if (!reader) throw new VmAssetError(url.pathname, "the response had no body");
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        onBytes(loaded, Math.max(total, loaded));
      }
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.length;
      }
      if (!cached) await cache?.put(url, response).catch(() => undefined);
      return bytes.buffer;
    }),
  );
}

export async function startBrowserVm(options: BrowserVmOptions): Promise<V86Vm> {
  const fetcher = options.fetch ?? fetch.bind(globalThis);
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: "manifest" });
  const manifestFile = options.imageManifest ?? IMAGE_MANIFEST_FILE;
  const stateFile = stateManifestFileFor(manifestFile);
  const [image, state] = await Promise.all([
    fetchJson<ImageManifest>(fetcher, new URL(manifestFile, options.vmUrl), "the image manifest"),
    fetchJson<StateManifest>(fetcher, new URL(stateFile, options.vmUrl), "the state manifest"),
  ]);
  if (!image)
    throw new VmAssetError(
      "the image manifest",
      `vm/${manifestFile} is missing from this site: it was deployed without its VM image.`,
    );
  const restore = state !== undefined && stateMatches(state, image, V86_VERSION);
  const file = (name: string): URL => new URL(name, options.vmUrl);
  const urls = restore
    ? [file(image.files.bios), file(state.file)]
    : [
        file(image.files.bios),
        file(image.files.kernel),
        ...(image.files.initrd ? [file(image.files.initrd)] : []),
      ];
  const [bios, second, third] = await downloadAll(fetcher, urls, (loadedBytes, totalBytes) =>
    progress({ phase: "download", loadedBytes, totalBytes, cold: !restore }),
  );
  if (!bios || !second) throw new VmAssetError("the boot files", "a download came back empty");
  const boot: VmBoot = restore
    ? { kind: "restore", state: second }
    : {
        kind: "cold",
        kernel: second,
        ...(third ? { initrd: third } : {}),
        cmdline: kernelCmdline(image),
        fsIndexUrl: file(image.files.fsIndex).href,
      };
  progress({ phase: "starting", cold: !restore });
  const vm = await V86Vm.start({
    wasm: async () =>
      (
        await fetchAsset(
          fetcher,
          new URL(options.wasmUrl ?? defaultWasmUrl, globalThis.location.href),
          "the emulator (v86.wasm)",
        )
      ).arrayBuffer(),
    bios,
    blobBaseUrl: file(`${image.blobDir}/`).href,
    boot,
    loadBlob: cachedBlobLoader(fetcher, openCache()),
    loadImageIndex: async () =>
      (await fetchAsset(fetcher, file(image.files.fsIndex), "the image's file index")).json(),
    warmFiles: options.warmUp === false ? [] : WARM_PATHS.files,
    ...(options.onWarmUpProgress ? { onWarmUpProgress: options.onWarmUpProgress } : {}),
    ...(options.tuneJit === false ? { tuneJit: false } : {}),
    yieldOnSameThread: options.yieldOnSameThread !== false,
    ...(options.warmRestore === false ? { warmRestore: false } : {}),
    ...(options.onChannelAlarm ? { onChannelAlarm: options.onChannelAlarm } : {}),
    onWarmUp: (report) =>
      console.info(
        `OpsLab warm-up: ${report.files} files, ${(report.bytes / 1e6).toFixed(1)} MB in ${report.ms} ms`,
      ),
  });
  progress({ phase: "ready" });
  return vm;
}
