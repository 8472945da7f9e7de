// Unit tests of the restore that keeps the JIT: which pages it writes and tells the JIT of, the guest's
// clock, the 9p requests in flight, and what it does with a v86 that lacks what it uses.
import { describe, expect, it } from "vitest";
import {
  PAGE_BYTES,
  canRestoreKeepingJit,
  restoreKeepingJit,
  track9pRequests,
  unpackChangedPages,
} from "./warm-restore";

/** `pages` pages of memory, page i filled with fill(i). */
function memoryOf(pages: number, fill: (page: number) => number, offset = 0): Uint8Array {
  const memory = new Uint8Array(
    new ArrayBuffer(offset + pages * PAGE_BYTES),
    offset,
    pages * PAGE_BYTES,
  );
  for (let page = 0; page < pages; page++)
    memory.fill(fill(page), page * PAGE_BYTES, (page + 1) * PAGE_BYTES);
  return memory;
}

/** What v86 saves: the non-zero pages, in order, and which they are. */
function packed(memory: Uint8Array, pages: number) {
  const saved = new Set<number>();
  const parts: Uint8Array[] = [];
  for (let page = 0; page < pages; page++) {
    const bytes = memory.subarray(page * PAGE_BYTES, (page + 1) * PAGE_BYTES);
    if (bytes.some((b) => b !== 0)) {
      saved.add(page);
      parts.push(bytes);
    }
  }
  const data = new Uint8Array(parts.length * PAGE_BYTES);
  parts.forEach((part, i) => data.set(part, i * PAGE_BYTES));
  return { saved, data };
}

describe("unpackChangedPages", () => {
  for (const offset of [0, 1]) {
    it(`writes the saved memory and returns exactly the pages that differed (${offset ? "unaligned" : "aligned"})`, () => {
      const target = memoryOf(6, (p) => [0, 7, 7, 0, 9, 3][p]!);
      const { saved, data } = packed(target, 6);
      // Now: page 1 the same, page 2 one byte off, page 3 not zero, page 4 zero, page 5 the same.
      const memory = memoryOf(6, (p) => [0, 7, 7, 5, 0, 3][p]!, offset);
      memory[2 * PAGE_BYTES + 4095] = 1;
      const changed = unpackChangedPages(memory, 6, (p) => saved.has(p), data);
      expect(changed).toEqual([2, 3, 4]);
      expect(memory).toEqual(target);
    });
  }

  it("changes nothing when the memory already holds the state", () => {
    const memory = memoryOf(4, (p) => p);
    const { saved, data } = packed(memory, 4);
    const copy = memory.slice();
    expect(unpackChangedPages(memory, 4, (p) => saved.has(p), data)).toEqual([]);
    expect(memory).toEqual(copy);
  });

  it("refuses a state with more memory than the emulator has", () => {
    expect(() =>
      unpackChangedPages(
        memoryOf(2, () => 0),
        3,
        () => false,
        new Uint8Array(0),
      ),
    ).toThrow(/memory/);
  });
});

/** A stand-in for v86's CPU: its memory, its JIT's dirty pages, and its clock offset. */
function fakeEmulator(pages: number) {
  const memory = memoryOf(pages, (p) => p + 1);
  const dirtied: number[] = [];
  const log: string[] = [];
  let tscOffset = 1000;
  const cpu = {
    mem8: memory,
    memory_size: [pages * PAGE_BYTES],
    current_tsc: [0, 0],
    store_current_tsc() {
      cpu.current_tsc = [5000 - tscOffset, 0];
    },
    set_tsc(low: number) {
      tscOffset = 5000 - tscOffset - low; // read_tsc() - low, as v86 does (read_tsc() = 5000 - offset)
      log.push(`set_tsc ${low}`);
    },
    unpack_memory(bitmap: { get(p: number): boolean }, data: Uint8Array) {
      log.push("original unpack");
      memory.fill(0);
      let next = 0;
      for (let p = 0; p < pages; p++)
        if (bitmap.get(p))
          memory.set(data.subarray(next * PAGE_BYTES, ++next * PAGE_BYTES), p * PAGE_BYTES);
    },
    jit_clear_cache() {
      log.push("clear all");
    },
    jit_dirty_cache(start: number, end: number) {
      expect(end - start).toBe(PAGE_BYTES);
      dirtied.push(start / PAGE_BYTES);
    },
  };
  return { emulator: { v86: { cpu } }, cpu, memory, dirtied, log, tscOffset: () => tscOffset };
}

describe("restoreKeepingJit", () => {
  it("unpacks through the page comparison and dirties only the changed pages", async () => {
    const fake = fakeEmulator(4);
    const target = memoryOf(4, (p) => (p === 2 ? 9 : p + 1));
    const { saved, data } = packed(target, 4);
    const emulator = {
      ...fake.emulator,
      restore_state: async () => {
        fake.cpu.unpack_memory({ get: (p) => saved.has(p) }, data);
        fake.cpu.jit_clear_cache();
      },
    };
    expect(canRestoreKeepingJit(emulator)).toBe(true);
    expect(await restoreKeepingJit(emulator, new ArrayBuffer(0))).toBe(1);
    expect(fake.dirtied).toEqual([2]);
    expect(fake.memory).toEqual(target);
    // v86's own unpack and its clear-all did not run, and are back in place afterwards.
    expect(fake.log).not.toContain("original unpack");
    expect(fake.log).not.toContain("clear all");
    expect(fake.tscOffset()).toBe(0);
    fake.cpu.jit_clear_cache();
    expect(fake.log).toContain("clear all");
  });

  it("drops every compiled page when the restore did not unpack through it", async () => {
    const fake = fakeEmulator(2);
    const emulator = { ...fake.emulator, restore_state: async () => undefined };
    expect(await restoreKeepingJit(emulator, new ArrayBuffer(0))).toBe(2);
    expect(fake.log).toContain("clear all");
  });

  it("puts v86's methods back when the restore throws", async () => {
    const fake = fakeEmulator(2);
    const unpack = fake.cpu.unpack_memory;
    const emulator = {
      ...fake.emulator,
      restore_state: async () => {
        throw new Error("Invalid info block length");
      },
    };
    await expect(restoreKeepingJit(emulator, new ArrayBuffer(0))).rejects.toThrow(/info block/);
    expect(fake.cpu.unpack_memory).toBe(unpack);
  });

  it("is not offered for a v86 without these internals", () => {
    expect(canRestoreKeepingJit({ v86: { cpu: {} } })).toBe(false);
    expect(canRestoreKeepingJit(undefined)).toBe(false);
  });
});

describe("track9pRequests", () => {
  it("counts the requests popped and not yet answered", () => {
    let next = 0;
    const answered: unknown[] = [];
    const device = {
      virtqueue: { pop_request: () => ({ id: next++ }) },
      SendReply: (request: unknown) => void answered.push(request),
    };
    const inFlight = track9pRequests({ v86: { cpu: { devices: { virtio_9p: device } } } })!;
    expect(inFlight()).toBe(0);
    const a = device.virtqueue.pop_request();
    const b = device.virtqueue.pop_request();
    expect(inFlight()).toBe(2);
    device.SendReply(b);
    expect(inFlight()).toBe(1);
    expect(answered).toEqual([b]);
    device.SendReply(a);
    expect(inFlight()).toBe(0);
  });

  it("is undefined for a v86 whose 9p device is not as expected", () => {
    expect(track9pRequests({ v86: { cpu: { devices: {} } } })).toBeUndefined();
    expect(track9pRequests(undefined)).toBeUndefined();
  });
});
