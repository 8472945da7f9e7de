// Unit tests of state deltas: exact round trips, shifted pages found, and corrupt deltas refused.
import { describe, expect, it } from "vitest";
import { concat, makeV86State, pages } from "./v86-state-fixture";
import {
  applyStateDelta,
  encodeStateDelta,
  STATE_BLOCK_BYTES,
  StateDeltaError,
  stateLayout,
} from "./state-delta";

const memory = pages(1, 16);
const base = makeV86State({ cpu: [1, 2, 3] }, [new Uint8Array([9, 9, 9]), memory, pages(50, 2)]);
// The task's state: a longer info block, a page inserted before the memory's pages (they shift),
// one page changed, an odd-sized buffer, and a buffer the base lacks.
const changed = memory.slice();
changed[5 * STATE_BLOCK_BYTES + 17] = (changed[5 * STATE_BLOCK_BYTES + 17] ?? 0) ^ 0xff;
const task = makeV86State({ cpu: [1, 2, 3], files: ["/etc/motd", "/root/x"] }, [
  new Uint8Array([9, 9, 9, 4, 5]),
  concat(pages(99, 1), changed),
  pages(50, 2),
  pages(200, 1).subarray(0, 1000),
]);

describe("state deltas", () => {
  it("rebuild the state exactly, sending only the blocks the base lacks", () => {
    const delta = encodeStateDelta(base, task);
    expect(applyStateDelta(base, delta)).toEqual(task);
    // Two literal pages (the new one and the changed one) plus the small parts, not 19 pages.
    expect(delta.byteLength).toBeLessThan(3 * STATE_BLOCK_BYTES + 1024);
  });

  it("rebuild a state from a base identical to it", () => {
    expect(applyStateDelta(base, encodeStateDelta(base, base))).toEqual(base);
  });

  it("refuse a truncated delta", () => {
    const delta = encodeStateDelta(base, task);
    for (const cut of [4, 20, delta.byteLength - 1])
      expect(() => applyStateDelta(base, delta.subarray(0, cut))).toThrow(StateDeltaError);
  });

  it("refuse a delta with bytes left over, or that is no delta", () => {
    const delta = encodeStateDelta(base, task);
    expect(() => applyStateDelta(base, concat(delta, new Uint8Array(8)))).toThrow(/left over/);
    expect(() => applyStateDelta(base, task)).toThrow(/not a state delta/);
  });

  it("refuse a delta that refers to blocks another (smaller) base lacks", () => {
    const delta = encodeStateDelta(base, task);
    const other = makeV86State({}, [pages(1, 1)]);
    expect(() => applyStateDelta(other, delta)).toThrow(/refers past the base/);
  });

  it("read only uncompressed v86 states of format 6", () => {
    expect(stateLayout(base).buffers).toHaveLength(3);
    expect(() => stateLayout(base.subarray(0, base.byteLength - 1))).toThrow(/length/);
    const zstd = base.slice();
    new DataView(zstd.buffer).setUint32(0, 0xfd2fb528, true);
    expect(() => stateLayout(zstd)).toThrow(/magic/);
    const v5 = base.slice();
    new DataView(v5.buffer).setInt32(4, 5, true);
    expect(() => stateLayout(v5)).toThrow(/format 5/);
  });
});
