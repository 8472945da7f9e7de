// Unit tests of how Node finds its saved state: the matching one, or a sentence that says why there is none.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testImage as image, testState as state } from "../manifest-fixture";
import { readMatchingState, readSavedState } from "./node-vm";

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
    await writeFile(join(dir, "state.json"), JSON.stringify({ ...state, imageId: "old" }));
    expect((await readSavedState(image, dir)).why).toMatch(
      /state\.json does not match: it was made from image old, not abc$/,
    );
  });

  it("says so when the manifest is not JSON", async () => {
    await writeFile(join(dir, "state.json"), "{ half");
    expect((await readSavedState(image, dir)).why).toMatch(/cannot be read as JSON$/);
  });
});
