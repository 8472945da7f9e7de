// The binary frame inside a share link: "v<version>." then base64url of kind, length, SHA-256 and the deflated content.
import { deflateSync, Inflate } from "fflate";
import { fromBase64Url, isBase64Url, toBase64Url } from "./base64url";
import { ShareLinkError } from "./errors";

/** NOTE: bump only with a new frame or content shape; every older version must keep decoding. */
export const LINK_FORMAT_VERSION = 1;

/**
 * What a frame carries: a whole run, a summary that names a run by hash (the run is in a file), or a
 * comparison (two runs of one task and their alignment). NOTE: an older OpsLab reads a kind it does not
 * know as "made by a newer OpsLab".
 */
export const FRAME_KINDS = { run: 1, summary: 2, comparison: 3 } as const;
export type FrameKind = keyof typeof FRAME_KINDS;

const HASH_BYTES = 32;
/** A decoded run larger than this is refused: a link is never this big, a crafted one could inflate to gigabytes. */
export const MAX_CONTENT_BYTES = 64 * 1024 * 1024;
const PREFIX = /^v(\d{1,4})\.(.*)$/s;

export interface Frame {
  kind: FrameKind;
  /** The JSON text inside. */
  json: string;
  /** SHA-256 of the kind byte and the deflated bytes, hex: names the content. */
  hash: string;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 0x80);
  } while (n > 0);
  return out;
}

/** The payload text for `json`: "v1." + base64url(kind, varint length, SHA-256, deflate(json)). */
export async function encodeFrame(
  kind: FrameKind,
  json: string,
): Promise<Frame & { payload: string }> {
  const deflated = deflateSync(new TextEncoder().encode(json), { level: 9, mem: 12 });
  const kindByte = FRAME_KINDS[kind];
  const hash = await sha256(concat([kindByte], deflated));
  const bytes = concat([kindByte, ...varint(deflated.length)], hash, deflated);
  return { kind, json, hash: hex(hash), payload: `v${LINK_FORMAT_VERSION}.${toBase64Url(bytes)}` };
}

function concat(head: number[], ...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(head.length + parts.reduce((n, p) => n + p.length, 0));
  out.set(head);
  let at = head.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The body's bytes after the version prefix, or the error that says why there are none; `canonical`
 * is false when the last character's unused bits are set (a change, or a cut: told apart later).
 */
function bodyBytes(payload: string): { bytes: Uint8Array; canonical: boolean } {
  const match = PREFIX.exec(payload);
  if (!match) {
    if (/^v\d{0,4}$/.test(payload))
      throw new ShareLinkError("truncated", "it ends after its version");
    throw new ShareLinkError("broken", "it does not start with an OpsLab link version (v1.)");
  }
  const version = Number(match[1]);
  if (version > LINK_FORMAT_VERSION) throw new ShareLinkError("newer", `link format v${version}`);
  if (version < 1) throw new ShareLinkError("broken", `there is no link format v${version}`);
  const body = match[2]!;
  if (!isBase64Url(body)) {
    throw new ShareLinkError("broken", "it holds characters a link of ours never has");
  }
  // NOTE: a link cut inside a character group leaves a lone character: decode what is whole.
  const whole = body.length % 4 === 1 ? body.slice(0, -1) : body;
  const bytes = fromBase64Url(whole)!;
  return { bytes, canonical: whole === body && toBase64Url(bytes) === body };
}

/** Reads a varint at `at`; null when the bytes end inside it. */
function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) return null;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new ShareLinkError("broken", "its length field is too long");
}

/** Decodes a payload; throws ShareLinkError with the kind of failure (never returns partial content). */
export async function decodeFrame(payload: string): Promise<Frame> {
  const { bytes, canonical } = bodyBytes(payload);
  if (bytes.length === 0) throw new ShareLinkError("truncated", "it ends after its version");
  const kindByte = bytes[0]!;
  const kind = (Object.keys(FRAME_KINDS) as FrameKind[]).find((k) => FRAME_KINDS[k] === kindByte);
  const length = readVarint(bytes, 1);
  if (!length) throw new ShareLinkError("truncated", "it ends inside its header");
  const start = length.next + HASH_BYTES;
  if (bytes.length < start + length.value) {
    throw new ShareLinkError(
      "truncated",
      `it holds ${Math.max(0, bytes.length - start)} of its ${length.value} bytes`,
    );
  }
  if (bytes.length > start + length.value) {
    throw new ShareLinkError("tampered", "it holds more bytes than its header says");
  }
  if (!canonical) throw new ShareLinkError("tampered", "its last character was changed");
  const deflated = bytes.subarray(start);
  const hash = await sha256(concat([kindByte], deflated));
  if (hex(hash) !== hex(bytes.subarray(length.next, start))) {
    throw new ShareLinkError("tampered", "its content does not match its SHA-256");
  }
  if (!kind) throw new ShareLinkError("newer", `content kind ${kindByte}`);
  return { kind, json: inflate(deflated), hash: hex(hash) };
}

/** The inflated text, refusing more than MAX_CONTENT_BYTES. */
function inflate(deflated: Uint8Array): string {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > MAX_CONTENT_BYTES) {
      throw new ShareLinkError("invalid", `its content is larger than ${MAX_CONTENT_BYTES} bytes`);
    }
    chunks.push(chunk);
  });
  try {
    inflater.push(deflated, true);
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw new ShareLinkError("invalid", "its content is intact but not compressed data of ours");
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(concat([], ...chunks));
}
