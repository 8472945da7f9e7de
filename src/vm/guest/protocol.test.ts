// Unit tests of the guest-agent frame format: lines, MACs, schemas, and every kind of bad input.
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  base64ToBytes,
  bytesToBase64,
  encodeFrame,
  encodeRequest,
  FRAME_PREFIX,
  frameMac,
  FrameDecoder,
  fromUtf8,
  MAX_FRAME_BYTES,
  REPLY_SCHEMAS,
  type Decoded,
} from "./protocol";

const KEY = new Uint8Array(32).map((_, i) => i);
const OTHER_KEY = new Uint8Array(32).map((_, i) => 255 - i);
const ascii = (text: string) => new TextEncoder().encode(text);
const REPLY = { id: 7, ok: true, request: "", stdout: "é ✓" };

function decodeAll(decoder: FrameDecoder, text: string): Decoded[] {
  return decoder.push(ascii(text));
}

describe("base64", () => {
  it("round-trips every byte value and large buffers", () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });
});

describe("MACs and digests", () => {
  it("makes the HMAC-SHA256 of a frame's JSON, and the SHA-256 of a request's JSON", () => {
    const json = ascii('{"id":1,"ok":true}');
    expect(frameMac(KEY, json)).toBe(createHmac("sha256", KEY).update(json).digest("hex"));
    const request = { id: 3, op: "ping" } as const;
    const { line, digest } = encodeRequest(request);
    expect(digest).toBe(createHash("sha256").update(JSON.stringify(request)).digest("hex"));
    expect(line.at(-1)).toBe(10);
    expect(line.every((b) => b < 128)).toBe(true);
    expect(fromUtf8(line)).toBe(`${FRAME_PREFIX}${btoa(JSON.stringify(request))}\n`);
  });
});

describe("FrameDecoder", () => {
  it("decodes a frame split across many pushes, one byte at a time", () => {
    const decoder = new FrameDecoder();
    const out = [];
    for (const byte of encodeFrame(REPLY)) out.push(...decoder.push([byte]));
    expect(out).toEqual([{ kind: "frame", frame: REPLY, mac: "missing" }]);
  });

  it("checks MACs against the current key, and the key before it", () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(encodeFrame(REPLY, KEY))).toEqual([
      { kind: "frame", frame: REPLY, mac: "unkeyed" },
    ]);
    decoder.setKey(KEY);
    const macs = (frame: Uint8Array) =>
      decoder.push(frame).map((d) => (d.kind === "frame" ? d.mac : d.kind));
    expect(macs(encodeFrame(REPLY, KEY))).toEqual(["valid"]);
    expect(macs(encodeFrame(REPLY, OTHER_KEY))).toEqual(["wrong"]);
    expect(macs(encodeFrame(REPLY))).toEqual(["missing"]);
    decoder.setKey(OTHER_KEY);
    expect(macs(encodeFrame(REPLY, OTHER_KEY))).toEqual(["valid"]);
    expect(macs(encodeFrame(REPLY, KEY))).toEqual(["stale"]);
    decoder.setKey(new Uint8Array(32));
    expect(macs(encodeFrame(REPLY, KEY))).toEqual(["wrong"]); // two keys back
  });

  it("says a MAC is wrong when the JSON was changed after it was made", () => {
    const decoder = new FrameDecoder();
    decoder.setKey(KEY);
    const mac = frameMac(KEY, ascii(JSON.stringify(REPLY)));
    const changed = btoa(JSON.stringify({ ...REPLY, stdout: "PASS" }));
    expect(decodeAll(decoder, `${FRAME_PREFIX}${changed} ${mac}\n`)).toMatchObject([
      { kind: "frame", mac: "wrong" },
    ]);
  });

  it("reports each kind of bad line instead of dropping it", () => {
    const decoder = new FrameDecoder();
    const json = (value: string) => `${FRAME_PREFIX}${btoa(value)}\n`;
    const lines = [
      "boot noise\n",
      `${FRAME_PREFIX}%%%not-base64\n`,
      json("{not json"),
      `${FRAME_PREFIX}${bytesToBase64(new Uint8Array([0x7b, 0xff, 0x7d]))}\n`, // not UTF-8
      json('{"t":"hello","version":"two","pid":1}'),
      json('{"id":1,"ok":true}'), // a reply without the digest of its request
      json("[1,2]"),
      `${FRAME_PREFIX}${btoa("{}")} abc\n`, // a MAC that is no MAC
      `${FRAME_PREFIX}${btoa("{}")} ${"0".repeat(64)} more\n`,
    ];
    const kinds = lines.map((line) => {
      const [d] = decodeAll(decoder, line);
      return d?.kind === "bad" ? d.problem : d?.kind;
    });
    expect(kinds).toEqual([
      "noise",
      "base64",
      "json",
      "json",
      "schema",
      "schema",
      "schema",
      "syntax",
      "syntax",
    ]);
  });

  it("validates the guest frames it knows", () => {
    const decoder = new FrameDecoder();
    const frames = [
      { t: "hello", version: 2, pid: 42 },
      { t: "bad-frame", length: 12 },
      { t: "host-call", id: 3, service: "cloud", body: { argv: [] } },
      { id: 4, ok: false, request: "", error: "KeyError: 'path'" },
      { id: null, ok: false, request: "a".repeat(64), error: "ValueError" },
    ];
    for (const frame of frames) {
      expect(decoder.push(encodeFrame(frame))).toEqual([{ kind: "frame", frame, mac: "missing" }]);
    }
  });

  // NOTE: 6 MB pushed through the decoder: seconds on a loaded 2-core machine.
  it(
    "skips an oversized line to its end, reports it once, and reads the next frame",
    { timeout: 30_000 },
    () => {
      const decoder = new FrameDecoder();
      const chunk = "x".repeat(1024 * 1024);
      const out: Decoded[] = [];
      for (let i = 0; i < 6; i++) out.push(...decodeAll(decoder, chunk));
      out.push(...decoder.push(ascii("tail\n")), ...decoder.push(encodeFrame(REPLY)));
      expect(out.map((d) => (d.kind === "bad" ? d.problem : d.kind))).toEqual([
        "oversized",
        "frame",
      ]);
      // A whole oversized line in one push is reported too.
      const [whole] = decodeAll(new FrameDecoder(), `${"y".repeat(MAX_FRAME_BYTES + 1)}\n`);
      expect(whole).toMatchObject({ kind: "bad", problem: "oversized" });
    },
  );

  it("finds a frame that follows a line cut short by an agent restart", () => {
    const hello = fromUtf8(encodeFrame({ t: "hello", version: 2, pid: 9 }));
    const [d] = decodeAll(new FrameDecoder(), `${FRAME_PREFIX}eyJpZCI6${hello}`);
    expect(d).toMatchObject({ kind: "frame", frame: { t: "hello", pid: 9 } });
  });

  it("never throws, whatever bytes come", () => {
    const decoder = new FrameDecoder();
    decoder.setKey(KEY);
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (let round = 0; round < 200; round++) {
      const bytes = Array.from({ length: 500 }, random);
      if (round % 3 === 0) bytes.push(...ascii(FRAME_PREFIX), 10);
      expect(() => decoder.push(bytes)).not.toThrow();
    }
  });
});

describe("reply schemas", () => {
  it("requires every field of an exec reply with its type", () => {
    const exec = {
      exitCode: 0,
      stdout: "",
      stderr: "",
      stdoutBytes: 0,
      stderrBytes: 0,
      timedOut: false,
      cancelled: false,
      durationMs: 3,
      cwd: "/root",
    };
    expect(REPLY_SCHEMAS.exec.safeParse(exec).success).toBe(true);
    expect(REPLY_SCHEMAS.exec.safeParse({ ...exec, cancelled: undefined }).success).toBe(false);
    expect(REPLY_SCHEMAS.exec.safeParse({ ...exec, exitCode: "0" }).success).toBe(false);
    expect(REPLY_SCHEMAS["kill-session"].safeParse({ remaining: -1 }).success).toBe(false);
  });
});
