// Unit tests of the guest-agent frame format.
import { describe, expect, it } from "vitest";
import {
  base64ToBytes,
  bytesToBase64,
  encodeFrame,
  encodeRequest,
  FRAME_PREFIX,
  FrameDecoder,
  fromUtf8,
} from "./protocol";

describe("base64", () => {
  it("round-trips every byte value and large buffers", () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });
});

describe("FrameDecoder", () => {
  it("decodes a frame split across many pushes, one byte at a time", () => {
    const frame = encodeFrame({ id: 7, ok: true, stdout: "é ✓" });
    const decoder = new FrameDecoder();
    const out = [];
    for (const byte of frame) out.push(...decoder.push([byte]));
    expect(out).toEqual([{ id: 7, ok: true, stdout: "é ✓" }]);
  });

  it("skips noise and broken lines and keeps the frames around them", () => {
    const decoder = new FrameDecoder();
    const good = fromUtf8(encodeFrame({ t: "hello", version: 1, pid: 42 }));
    const input = `boot noise\n${FRAME_PREFIX}%%%not base64\n${good}${FRAME_PREFIX}e30=`;
    expect(decoder.push(new TextEncoder().encode(input))).toEqual([
      { t: "hello", version: 1, pid: 42 },
    ]);
    // The unfinished "{}" frame completes with its newline.
    expect(decoder.push(new TextEncoder().encode("\n"))).toEqual([{}]);
  });

  it("encodes requests as one ASCII line", () => {
    const line = encodeRequest({ id: 1, op: "ping" });
    expect(line.at(-1)).toBe(10);
    expect(line.every((b) => b < 128)).toBe(true);
    expect(new FrameDecoder().push(line)).toEqual([{ id: 1, op: "ping" }]);
  });
});
