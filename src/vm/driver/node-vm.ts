// Starts the VM in Node from an image in public/vm/: restores its saved state, or cold-boots when none matches.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { VmAssetError } from "../errors";
import {
  IMAGE_MANIFEST_FILE,
  kernelCmdline,
  stateManifestFileFor,
  stateMismatch,
  V86_VERSION,
  type ImageManifest,
  type StateManifest,
} from "../image";
import type { BlobLoader } from "./blob-loader";
import type { FileFetch } from "./file-fetches";
import { V86Vm, type VmBoot } from "./v86-vm";
import type { WarmUpProgram, WarmUpProgress, WarmUpReport } from "../warm-up/warm-up";
import type { WarmFile } from "../warm-up/warm-paths";

const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** The committed image. */
export const DEFAULT_VM_DIR = resolve(REPO_DIR, "public/vm");
/** The saved machine state, made on demand by `npm run vm:snapshot` (not committed; the build copies it). */
export const DEFAULT_STATE_DIR = resolve(REPO_DIR, ".cache/vm-state");

async function readJson<T>(path: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch (error) {
    throw new VmAssetError(
      what,
      `${path}: ${(error as Error).message}. Build the image with images/build.sh.`,
    );
  }
}

async function readBuffer(path: string, what: string): Promise<ArrayBuffer> {
  try {
    const data = await readFile(path);
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  } catch (error) {
    throw new VmAssetError(what, `${path}: ${(error as Error).message}`);
  }
}

export function v86WasmPath(): string {
  return createRequire(import.meta.url).resolve("v86/build/v86.wasm");
}

export async function readImageManifest(
  vmDir = DEFAULT_VM_DIR,
  manifestFile = IMAGE_MANIFEST_FILE,
): Promise<ImageManifest> {
  stateManifestFileFor(manifestFile); // refuses a name that is not an image manifest
  return readJson<ImageManifest>(join(vmDir, manifestFile), "the image manifest");
}

/** The saved state's manifest (state.json for image.json, state-x.json for image-x.json) when it
 * belongs to this image and emulator, else undefined. */
export async function readMatchingState(
  image: ImageManifest,
  stateDir = DEFAULT_STATE_DIR,
  imageManifestFile = IMAGE_MANIFEST_FILE,
): Promise<StateManifest | undefined> {
  return (await readSavedState(image, stateDir, imageManifestFile)).state;
}

/** The saved state's manifest when it matches; else why there is none to restore (a sentence). */
export async function readSavedState(
  image: ImageManifest,
  stateDir = DEFAULT_STATE_DIR,
  imageManifestFile = IMAGE_MANIFEST_FILE,
): Promise<{ state: StateManifest; why?: undefined } | { state?: undefined; why: string }> {
  const file = join(stateDir, stateManifestFileFor(imageManifestFile));
  let state: StateManifest;
  try {
    state = JSON.parse(await readFile(file, "utf8")) as StateManifest;
  } catch (error) {
    const absent = (error as NodeJS.ErrnoException).code === "ENOENT";
    return { why: `${file} ${absent ? "does not exist" : "cannot be read as JSON"}` };
  }
  const mismatch = stateMismatch(state, image, V86_VERSION);
  return mismatch ? { why: `${file} does not match: ${mismatch}` } : { state };
}

export interface NodeVmOptions {
  vmDir?: string;
  /** Which image of vmDir: image.json (our kernel, the default) or image-debian.json (the stock kernel). */
  imageManifest?: string;
  stateDir?: string;
  /** Boot from the kernel even when a saved state exists. */
  cold?: boolean;
  /** Restore this state instead of the published one. */
  state?: ArrayBuffer;
  onConsole?: (bytes: Uint8Array) => void;
  onFileFetch?: (fetch: FileFetch) => void;
  /** How to fetch the 9p blobs (v86 reads the files itself when absent). */
  loadBlob?: BlobLoader;
  /** Files to read in the background after each start, restore and reset (none by default in Node; WARM_PATHS.files as the page does). */
  warmFiles?: readonly WarmFile[];
  warmPrograms?: readonly WarmUpProgram[];
  onWarmUp?: (report: WarmUpReport) => void;
  onWarmUpProgress?: (progress: WarmUpProgress) => void;
  /** As V86VmOptions.tuneJit: on by default. */
  tuneJit?: boolean;
  /** As V86VmOptions.yieldOnSameThread: off by default. */
  yieldOnSameThread?: boolean;
  /** As V86VmOptions.warmRestore: on by default. */
  warmRestore?: boolean;
}

export async function startNodeVm(options: NodeVmOptions = {}): Promise<V86Vm> {
  const vmDir = options.vmDir ?? DEFAULT_VM_DIR;
  const manifestFile = options.imageManifest ?? IMAGE_MANIFEST_FILE;
  const image = await readImageManifest(vmDir, manifestFile);
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const saved =
    options.cold || options.state ? undefined : await readSavedState(image, stateDir, manifestFile);
  const savedState = saved?.state;
  // NOTE: said, not silent: a cold boot takes a minute where a restore takes one second, and a stale
  // state (a new image, another v86) otherwise shows only as everything being slow.
  if (saved?.why)
    console.error(
      `startNodeVm: cold-booting (about a minute): no saved state to restore, ${saved.why}; \`npm run vm:snapshot\` makes one`,
    );
  let boot: VmBoot;
  if (options.state && !options.cold) {
    boot = { kind: "restore", state: options.state };
  } else if (savedState) {
    boot = {
      kind: "restore",
      state: await readBuffer(join(stateDir, savedState.file), "the saved state"),
    };
  } else {
    boot = {
      kind: "cold",
      kernel: await readBuffer(join(vmDir, image.files.kernel), "the kernel"),
      ...(image.files.initrd
        ? { initrd: await readBuffer(join(vmDir, image.files.initrd), "the initramfs") }
        : {}),
      cmdline: kernelCmdline(image),
      fsIndexUrl: join(vmDir, image.files.fsIndex),
    };
  }
  return V86Vm.start({
    wasm: () => readBuffer(v86WasmPath(), "v86.wasm"),
    bios: await readBuffer(join(vmDir, image.files.bios), "the BIOS"),
    blobBaseUrl: join(vmDir, image.blobDir) + "/",
    boot,
    ...(options.onConsole ? { onConsole: options.onConsole } : {}),
    ...(options.onFileFetch ? { onFileFetch: options.onFileFetch } : {}),
    ...(options.loadBlob ? { loadBlob: options.loadBlob } : {}),
    loadImageIndex: () => readJson(join(vmDir, image.files.fsIndex), "the image's file index"),
    ...(options.warmFiles ? { warmFiles: options.warmFiles } : {}),
    ...(options.warmPrograms ? { warmPrograms: options.warmPrograms } : {}),
    ...(options.onWarmUp ? { onWarmUp: options.onWarmUp } : {}),
    ...(options.onWarmUpProgress ? { onWarmUpProgress: options.onWarmUpProgress } : {}),
    ...(options.tuneJit === false ? { tuneJit: false } : {}),
    ...(options.yieldOnSameThread ? { yieldOnSameThread: true } : {}),
    ...(options.warmRestore === false ? { warmRestore: false } : {}),
  });
}
