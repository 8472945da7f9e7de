// An image manifest and the saved state that belongs to it, for tests of the manifests' rules.
import {
  GUEST_MEMORY_BYTES,
  IMAGE_MANIFEST_VERSION,
  STATE_MANIFEST_VERSION,
  V86_VERSION,
  type ImageManifest,
  type StateManifest,
} from "./image";

export const testImage: ImageManifest = {
  version: IMAGE_MANIFEST_VERSION,
  imageId: "abc",
  kernelVersion: "6.1.0-50-686",
  kernelArgs: "",
  files: { bios: "b", kernel: "k", initrd: "i", fsIndex: "f", packages: "p" },
  blobDir: "fs",
  blobCount: 1,
  blobBytes: 1,
  treeBytes: 1,
};

export const testState: StateManifest = {
  version: STATE_MANIFEST_VERSION,
  imageId: "abc",
  v86Version: V86_VERSION,
  memoryBytes: GUEST_MEMORY_BYTES,
  file: "state-1.zst",
  bytes: 1,
  coldBootMs: 1,
};
