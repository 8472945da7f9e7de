// Unit tests of starting zstd's decoder when its wasm does not load: the start never settles (the decoder aborts).
import { afterEach, describe, expect, it, vi } from "vitest";

const decoder = vi.hoisted(() => ({ init: vi.fn<() => Promise<void>>() }));
vi.mock("@bokuweb/zstd-wasm", () => ({
  init: decoder.init,
  decompress: (bytes: Uint8Array) => bytes,
  decompressUsingDict: () => new Uint8Array(),
  createDCtx: () => 1,
  freeDCtx: () => 0,
}));
const { DECODER_START_MS, unzstd } = await import("./base-state");

afterEach(() => vi.useRealTimers());

describe("zstd's decoder", () => {
  it("fails a start that hangs after its time limit, and starts afresh at the next call", async () => {
    vi.useFakeTimers();
    decoder.init.mockReturnValueOnce(new Promise<void>(() => undefined));
    const hung = unzstd(Uint8Array.of(1));
    const failed = expect(hung).rejects.toThrow(/did not start in 30 s/);
    await vi.advanceTimersByTimeAsync(DECODER_START_MS);
    await failed;
    decoder.init.mockResolvedValueOnce(undefined);
    expect(await unzstd(Uint8Array.of(2))).toEqual(Uint8Array.of(2));
    expect(decoder.init).toHaveBeenCalledTimes(2);
  });
});
