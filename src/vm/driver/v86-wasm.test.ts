import { describe, expect, it, vi } from "vitest";
import { mendClock, v86WasmInstantiator } from "./v86-wasm";

/** The smallest valid WebAssembly module: no imports, no exports. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]).buffer;

describe("mendClock", () => {
  it("reads the counter on two later ticks of the host clock after every set_tsc", () => {
    const calls: string[] = [];
    const ticks: number[] = [];
    const exports = mendClock({
      set_tsc: (low: number, high: number) => calls.push(`set ${low} ${high}`),
      store_current_tsc: () => {
        calls.push("read");
        ticks.push(performance.now());
      },
      memory: new WebAssembly.Memory({ initial: 1 }),
    });
    (exports["set_tsc"] as (low: number, high: number) => void)(5, 1);
    expect(calls).toEqual(["set 5 1", "read", "read"]);
    expect(ticks[1]).toBeGreaterThan(ticks[0]!);
    expect(exports["memory"]).toBeInstanceOf(WebAssembly.Memory);
  });

  it("refuses a v86.wasm without the clock's exports, naming what to do", () => {
    expect(() => mendClock({ set_tsc: () => undefined })).toThrow(/v86 version package.json pins/);
  });
});

describe("v86WasmInstantiator", () => {
  it("reads and compiles v86.wasm once for every emulator", async () => {
    const source = vi.fn(async () => EMPTY_MODULE);
    const instantiate = v86WasmInstantiator(source);
    const errors: Error[] = [];
    // The empty module has no set_tsc: each instance is refused, the compiled module is kept.
    void instantiate({}, (error) => errors.push(error));
    void instantiate({}, (error) => errors.push(error));
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(errors[0]!.message).toMatch(/no set_tsc/);
    expect(source).toHaveBeenCalledTimes(1);
  });

  it("tells of a failed download and tries it again for the next emulator", async () => {
    const source = vi
      .fn<() => Promise<ArrayBuffer>>()
      .mockRejectedValueOnce(new Error("offline"))
      .mockResolvedValue(EMPTY_MODULE);
    const instantiate = v86WasmInstantiator(source);
    const errors: Error[] = [];
    void instantiate({}, (error) => errors.push(error));
    await vi.waitFor(() => expect(errors.map((e) => e.message)).toEqual(["offline"]));
    void instantiate({}, (error) => errors.push(error));
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(source).toHaveBeenCalledTimes(2);
  });
});
