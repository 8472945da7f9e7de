// Unit tests of how Node finds its saved state: the matching one, or a sentence that says why there is none.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GUEST_MEMORY_BYTES,
  IMAGE_MANIFEST_VERSION,
  STATE_MANIFEST_VERSION,
  V86_VERSION,
  type ImageManifest,
  type StateManifest,
} from "../image";
import { readMatchingState, readSavedState } from "./node-vm";

const image: ImageManifest = {
  version: IMAGE_MANIFEST_VERSION,
  imageId: "img1",
  kernelVersion: "6.1.0-50-686",
  kernelArgs: "",
  files: { bios: "b", kernel: "k", initrd: "i", fsIndex: "f", packages: "p" },
  blobDir: "fs",
  blobCount: 1,
  blobBytes: 1,
  treeBytes: 1,
};
const state: StateManifest = {
  version: STATE_MANIFEST_VERSION,
  imageId: "img1",
  v86Version: V86_VERSION,
  memoryBytes: GUEST_MEMORY_BYTES,
  file: "state-1.zst",
  bytes: 1,
  coldBootMs: 1,
};
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "node-vm-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readSavedState", () => {
  it("finds the state that belongs to the image", async () => {
    await writeFile(join(dir, "state.json"), JSON.stringify(state));
    expect(await readSavedState(image, dir)).toEqual({ state });
    expect(await readMatchingState(image, dir)).toEqual(state);
  });

  it("says that there is none, and where it looked", async () => {
    const { why } = await readSavedState(image, dir);
    expect(why).toBe(`${join(dir, "state.json")} does not exist`);
    expect(await readMatchingState(image, dir)).toBeUndefined();
  });

  it("says which image a stale state was made from (the state a new image leaves behind)", async () => {
    await writeFile(join(dir, "state.json"), JSON.stringify({ ...state, imageId: "img0" }));
    expect((await readSavedState(image, dir)).why).toMatch(
      /state\.json does not match: it was made from image img0, not img1$/,
    );
  });

  it("says so when the manifest is not JSON", async () => {
    await writeFile(join(dir, "state.json"), "{ half");
    expect((await readSavedState(image, dir)).why).toMatch(/cannot be read as JSON$/);
  });
});
