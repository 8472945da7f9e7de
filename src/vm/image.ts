// The VM images' published shape (public/vm/image*.json, state*.json) and the machine they boot on.
import { VmAssetError } from "./errors";

/** OpsLab's own kernel: the default image. */
export const IMAGE_MANIFEST_FILE = "image.json";
/** The stock Debian 686 kernel with its initramfs and module tree: the fallback, and the benchmarks' twin. */
export const DEBIAN_IMAGE_MANIFEST_FILE = "image-debian.json";
export const STATE_MANIFEST_FILE = "state.json";
export const IMAGE_MANIFEST_VERSION = 2;
export const STATE_MANIFEST_VERSION = 2;

/** Guest memory. NOTE: a saved state only restores into a machine of the same memory size. */
export const GUEST_MEMORY_BYTES = 256 * 1024 * 1024;
export const GUEST_VGA_MEMORY_BYTES = 2 * 1024 * 1024;

/** Kernel command line of every image: serial console, no hardware the emulator lacks, freed pages zeroed
 * for small states. An image adds its own arguments (ImageManifest.kernelArgs). */
export const KERNEL_CMDLINE = [
  "console=ttyS0",
  "loglevel=3",
  "rw",
  "tsc=reliable",
  "mitigations=off",
  "random.trust_cpu=on",
  "init_on_free=1",
  "nowatchdog",
  "audit=0",
  "systemd.show_status=false",
].join(" ");

export interface ImageManifest {
  version: typeof IMAGE_MANIFEST_VERSION;
  /** Hash over the files below and the kernel arguments: changes whenever the image does. */
  imageId: string;
  kernelVersion: string;
  /** Appended to KERNEL_CMDLINE (our kernel mounts the 9p root itself; Debian's initramfs does it). */
  kernelArgs: string;
  /** No initrd: the kernel has what it needs built in. */
  files: { bios: string; kernel: string; initrd?: string; fsIndex: string; packages: string };
  /** Folder (relative to the manifest) of the content-addressed 9p blobs. */
  blobDir: string;
  blobCount: number;
  blobBytes: number;
  treeBytes: number;
}

export interface StateManifest {
  version: typeof STATE_MANIFEST_VERSION;
  /** The image and emulator the state was saved from: any other pair cannot restore it. */
  imageId: string;
  v86Version: string;
  /** The guest memory it was saved with: a state restores only into the same size. */
  memoryBytes: number;
  file: string;
  bytes: number;
  /** How long the cold boot took when the state was made. */
  coldBootMs: number;
}

/** The whole kernel command line of an image. */
export function kernelCmdline(image: ImageManifest): string {
  return image.kernelArgs ? `${KERNEL_CMDLINE} ${image.kernelArgs}` : KERNEL_CMDLINE;
}

const IMAGE_MANIFEST_NAME = /^image(-[a-z0-9]+)?\.json$/;

/**
 * The state manifest that goes with an image manifest: image.json -> state.json,
 * image-debian.json -> state-debian.json (so each image has its own saved state beside the others).
 */
export function stateManifestFileFor(imageManifestFile: string): string {
  const match = IMAGE_MANIFEST_NAME.exec(imageManifestFile);
  if (!match)
    throw new VmAssetError(
      "the image manifest",
      `"${imageManifestFile}" is not an image manifest name: use image.json or image-<name>.json`,
    );
  return `state${match[1] ?? ""}.json`;
}

/** Whether a saved state belongs to this image, emulator version and memory size. */
/** Why a saved state does not belong to this image and emulator ("" when it does), for the person told. */
export function stateMismatch(
  state: StateManifest,
  image: ImageManifest,
  v86Version: string,
): string {
  if (state.version !== STATE_MANIFEST_VERSION)
    return `it is a version ${String(state.version)} state manifest, not ${STATE_MANIFEST_VERSION}`;
  if (state.imageId !== image.imageId)
    return `it was made from image ${state.imageId}, not ${image.imageId}`;
  if (state.v86Version !== v86Version)
    return `it was made with v86 ${state.v86Version}, not ${v86Version}`;
  if (state.memoryBytes !== GUEST_MEMORY_BYTES)
    return `it has ${state.memoryBytes} bytes of memory, not ${GUEST_MEMORY_BYTES}`;
  return "";
}

export function stateMatches(
  state: StateManifest,
  image: ImageManifest,
  v86Version: string,
): boolean {
  return stateMismatch(state, image, v86Version) === "";
}

/** Cache Storage bucket for the boot files; their names carry their content hash, so they never go stale. */
export const VM_CACHE_NAME = "opslab-vm-v1";

/** The emulator version this code is built and tested with (pinned exactly in package.json). */
export const V86_VERSION = "0.5.462";
