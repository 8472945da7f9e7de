// Unit tests of the file cache of task states: round trip, a missing key, keys that are not file names.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileTaskStateCache } from "./node-state-cache";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "task-states-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("FileTaskStateCache", () => {
  it("gives back what was put, under its key, and forgets what was deleted", async () => {
    const cache = new FileTaskStateCache(join(dir, "states"));
    expect(await cache.get("task-a")).toBeUndefined();
    await cache.put("task-a", new Uint8Array([1, 2, 3]).buffer);
    await cache.put("task-b", new Uint8Array([4]).buffer);
    expect(new Uint8Array((await cache.get("task-a"))!)).toEqual(new Uint8Array([1, 2, 3]));
    expect((await readdir(join(dir, "states"))).sort()).toEqual(["task-a.state", "task-b.state"]);
    await cache.delete("task-a");
    await cache.delete("task-a");
    expect(await cache.get("task-a")).toBeUndefined();
    expect(await cache.get("task-b")).toBeDefined();
  });

  it("refuses keys that are not plain file names", async () => {
    const cache = new FileTaskStateCache(dir);
    await expect(cache.get("../escape")).rejects.toThrow(/only letters/);
    await expect(cache.put(".hidden", new ArrayBuffer(1))).rejects.toThrow(/only letters/);
  });
});
