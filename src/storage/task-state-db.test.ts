// Unit tests of the page's task-state cache over an in-memory IndexedDB: keep, find, evict least recently used.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { IdbTaskStateCache } from "./task-state-db";

let n = 0;
const freshName = () => `opslab-task-states-test-${n++}`;
const bytes = (...values: number[]) => new Uint8Array(values).buffer;

describe("IdbTaskStateCache", () => {
  it("keeps a state under its key and gives it back whole", async () => {
    const cache = new IdbTaskStateCache(freshName());
    expect(await cache.get("a")).toBeUndefined();
    await cache.put("a", bytes(1, 2, 3));
    expect(new Uint8Array((await cache.get("a"))!)).toEqual(new Uint8Array([1, 2, 3]));
    await cache.delete("a");
    expect(await cache.get("a")).toBeUndefined();
  });

  it("says whether it keeps a key without reading the state", async () => {
    const cache = new IdbTaskStateCache(freshName());
    expect(await cache.has("a")).toBe(false);
    await cache.put("a", bytes(1));
    expect(await cache.has("a")).toBe(true);
  });

  it("drops the least recently used states beyond its limit; a get counts as a use", async () => {
    let clock = 0;
    const cache = new IdbTaskStateCache(freshName(), 2, () => ++clock);
    await cache.put("a", bytes(1));
    await cache.put("b", bytes(2));
    await cache.get("a");
    await cache.put("c", bytes(3));
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBeDefined();
    expect(await cache.get("c")).toBeDefined();
  });

  it("finds nothing, rather than failing the run, when IndexedDB cannot open", async () => {
    const cache = new IdbTaskStateCache(freshName());
    const failing = Promise.reject(new Error("no IndexedDB in this window"));
    failing.catch(() => undefined);
    Object.assign(cache, { db: failing });
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.has("a")).toBe(false);
    await expect(cache.put("a", bytes(1))).rejects.toThrow("no IndexedDB");
  });
});
