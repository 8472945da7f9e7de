// The guest-agent wire protocol as pure functions: frames of base64 JSON lines on the second serial port, their
// schemas, and the MAC that tells the agent's frames from frames anything else in the guest writes.
// NOTE: must match the guest agent, images/guest/agent/opslab-agent.c.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { z } from "zod";

export const FRAME_PREFIX = "@@OPSLAB ";
export const PROTOCOL_VERSION = 2;
/** A line longer than this is never a frame: it is reported and skipped up to its end. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Bytes of the MAC key (HMAC-SHA256) the host gives the agent after every start, restore and reset. */
export const MAC_KEY_BYTES = 32;
const MAC_PATTERN = /^[0-9a-f]{64}$/;

export type GuestRequest =
  | {
      id: number;
      op: "exec";
      command: string;
      session: string;
      timeoutMs: number;
      maxOutputBytes: number;
      cwd?: string;
      env?: Record<string, string>;
    }
  | { id: number; op: "write"; path: string; data: string; append: boolean; mode?: number }
  | { id: number; op: "read"; path: string; offset: number; length: number }
  | { id: number; op: "ping" }
  /** The agent's MAC key (hex): every frame it writes after the reply to this one carries a MAC with it. */
  | { id: number; op: "key"; key: string }
  /** Ends the exec request `target` as its time limit would; its reply then says `cancelled`. */
  | { id: number; op: "cancel"; target: number }
  /** Kills every process the session's commands started and forgets the session. */
  | { id: number; op: "kill-session"; session: string }
  /** sync(2): the guest's page cache goes to the 9p file system, so the host reads what the guest sees. */
  | { id: number; op: "sync" }
  /** The answer to a guest program's host call; the agent never replies to it. */
  | { id: number; op: "host-reply"; ok: true; body: unknown }
  | { id: number; op: "host-reply"; ok: false; error: string };

export type RequestOp = Exclude<GuestRequest["op"], "host-reply">;

const count = z.number().int().nonnegative();

/** The fields of each op's successful reply, beside `id` and `ok: true`. */
export const REPLY_SCHEMAS = {
  exec: z.object({
    exitCode: z.number().int(),
    stdout: z.string(),
    stderr: z.string(),
    stdoutBytes: count,
    stderrBytes: count,
    timedOut: z.boolean(),
    cancelled: z.boolean(),
    durationMs: z.number().nonnegative(),
    cwd: z.string(),
  }),
  write: z.object({ size: count }),
  read: z.object({ data: z.string(), size: count }),
  ping: z.object({ pong: z.literal(true) }),
  key: z.object({ version: z.number().int() }),
  cancel: z.object({ found: z.boolean() }),
  "kill-session": z.object({ remaining: count }),
  sync: z.object({}),
} satisfies Record<RequestOp, z.ZodType>;

export type ReplyFields<Op extends RequestOp> = z.infer<(typeof REPLY_SCHEMAS)[Op]>;
export type ExecReply = ReplyFields<"exec">;

const helloSchema = z.object({ t: z.literal("hello"), version: z.number().int(), pid: count });
const badFrameSchema = z.object({ t: z.literal("bad-frame"), length: count });
/** A guest program asks the host (for example the `cloud` CLI); `id` is the agent's own numbering. */
const hostCallSchema = z.object({
  t: z.literal("host-call"),
  id: count,
  service: z.string(),
  body: z.unknown(),
});
/**
 * The SHA-256 of the JSON of the request a reply answers (empty when the agent cannot hash): the host takes a
 * reply only for the very request it sent, not for one injected into the agent's input with the same id.
 */
const digestSchema = z.string().regex(/^([0-9a-f]{64})?$/);
/** A reply's own fields are checked against its op's schema once the request it answers is known. */
const successSchema = z.looseObject({ id: count, ok: z.literal(true), request: digestSchema });
/** `id` is null when the request the agent could not run had none. */
const failureSchema = z.object({
  id: count.nullable(),
  ok: z.literal(false),
  request: digestSchema,
  error: z.string(),
});

export const GUEST_FRAME_SCHEMA = z.union([
  helloSchema,
  badFrameSchema,
  hostCallSchema,
  successSchema,
  failureSchema,
]);
export type GuestFrame = z.infer<typeof GUEST_FRAME_SCHEMA>;
export type ReplyFrame = z.infer<typeof successSchema> | z.infer<typeof failureSchema>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Base64 of bytes, in chunks so large buffers do not overflow the argument list. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Bytes of base64 text; throws on characters outside the alphabet or bad padding. */
export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** HMAC-SHA256 of a frame's JSON bytes, as the agent writes it: 64 lowercase hex digits. */
export function frameMac(key: Uint8Array, json: Uint8Array): string {
  return bytesToHex(hmac(sha256, key, json));
}

/** Compares in time independent of where the first difference is. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** One frame line: the prefix, base64 of the JSON, the MAC when a key is given, a newline. */
function frameLine(value: unknown, key?: Uint8Array): Uint8Array {
  const json = encoder.encode(JSON.stringify(value));
  const mac = key ? ` ${frameMac(key, json)}` : "";
  return encoder.encode(`${FRAME_PREFIX}${bytesToBase64(json)}${mac}\n`);
}

/** A request's frame line, and the SHA-256 of its JSON that the reply to it must carry. */
export function encodeRequest(request: GuestRequest): { line: Uint8Array; digest: string } {
  const json = encoder.encode(JSON.stringify(request));
  return {
    line: encoder.encode(`${FRAME_PREFIX}${bytesToBase64(json)}\n`),
    digest: bytesToHex(sha256(json)),
  };
}

/** The SHA-256 of a request's JSON, as the agent puts it in its reply (for tests of the host side). */
export function requestDigest(request: GuestRequest): string {
  return encodeRequest(request).digest;
}

/** A guest-side frame as the agent writes it, MAC'ed with `key` when given (for tests of the host side). */
export function encodeFrame(frame: unknown, key?: Uint8Array): Uint8Array {
  return frameLine(frame, key);
}

/**
 * How a frame's MAC checked out: made with the current key, with the key before it (a frame the agent wrote
 * before it took the new key), with neither, absent, or present while the decoder has no key yet.
 */
export type MacCheck = "valid" | "stale" | "wrong" | "missing" | "unkeyed";

export type FrameProblem = "oversized" | "base64" | "json" | "schema" | "syntax";

export type Decoded =
  | { kind: "frame"; frame: GuestFrame; mac: MacCheck }
  /** A line without the frame prefix. */
  | { kind: "noise"; text: string }
  | { kind: "bad"; problem: FrameProblem; detail: string };

/** At most this much of a line or value goes into a report. */
const DETAIL_CHARS = 120;

export function shorten(text: string, chars = DETAIL_CHARS): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/** Reads one line; never throws. */
function decodeLine(line: string, keys: readonly Uint8Array[]): Decoded {
  // NOTE: the last prefix, so a frame that follows a line cut short (an agent restart) still counts.
  const start = line.lastIndexOf(FRAME_PREFIX);
  if (start < 0) return { kind: "noise", text: shorten(line) };
  const parts = line
    .slice(start + FRAME_PREFIX.length)
    .trim()
    .split(" ");
  const [text = "", mac, ...rest] = parts;
  if (rest.length > 0 || (mac !== undefined && !MAC_PATTERN.test(mac))) {
    return { kind: "bad", problem: "syntax", detail: `not "base64 [mac]": ${shorten(line)}` };
  }
  let json: Uint8Array;
  try {
    json = base64ToBytes(text);
  } catch {
    return { kind: "bad", problem: "base64", detail: `bad base64: ${shorten(text)}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(json));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      kind: "bad",
      problem: "json",
      detail: `bad JSON (${shorten(why, 60)}): ${shorten(decoder.decode(json))}`,
    };
  }
  const parsed = GUEST_FRAME_SCHEMA.safeParse(value);
  if (!parsed.success) {
    return {
      kind: "bad",
      problem: "schema",
      detail: `not a guest frame: ${shorten(JSON.stringify(value))}`,
    };
  }
  let check: MacCheck = "missing";
  if (mac !== undefined) {
    const [current, previous] = keys;
    if (!current) check = "unkeyed";
    else if (sameText(frameMac(current, json), mac)) check = "valid";
    else check = previous && sameText(frameMac(previous, json), mac) ? "stale" : "wrong";
  }
  return { kind: "frame", frame: parsed.data, mac: check };
}

function oversized(line: string): Decoded {
  return {
    kind: "bad",
    problem: "oversized",
    detail: `a line over ${MAX_FRAME_BYTES} bytes: ${shorten(line)}`,
  };
}

/**
 * Splits the byte stream from the guest into lines and reads each: a frame with the verdict on its MAC, or
 * what was wrong with it. Nothing is dropped silently; the caller decides what to ignore.
 */
export class FrameDecoder {
  private pending = "";
  /** Inside a line that was already reported too long: bytes are skipped up to its end. */
  private skipping = false;
  /** The current key first, then the one before it. */
  private keys: Uint8Array[] = [];

  /** Checks MACs with `key` from now on (and with the key before it, whose frames are "stale"). */
  setKey(key: Uint8Array): void {
    this.keys = [key, ...this.keys.slice(0, 1)];
  }

  push(bytes: Uint8Array | number[]): Decoded[] {
    // The frames are ASCII, so decoding byte by byte as Latin-1 cannot split a character.
    let text = "";
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i] ?? 0);
    const out: Decoded[] = [];
    // Only the new text is searched for line ends: a long frame arriving byte by byte stays linear.
    let newline = text.indexOf("\n");
    while (newline >= 0) {
      const line = this.pending + text.slice(0, newline);
      if (this.skipping) this.skipping = false;
      else if (line.length > MAX_FRAME_BYTES) out.push(oversized(line));
      else out.push(decodeLine(line, this.keys));
      this.pending = "";
      text = text.slice(newline + 1);
      newline = text.indexOf("\n");
    }
    if (!this.skipping) this.pending += text;
    if (this.pending.length > MAX_FRAME_BYTES) {
      out.push(oversized(this.pending));
      this.pending = "";
      this.skipping = true;
    }
    return out;
  }
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
