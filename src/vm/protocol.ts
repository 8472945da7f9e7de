// The guest-agent wire protocol as pure functions: frames of base64 JSON lines on the second serial port.
// NOTE: must match the guest agent, images/guest/agent/opslab-agent.c.

export const FRAME_PREFIX = "@@OPSLAB ";
export const PROTOCOL_VERSION = 1;
/** A frame longer than this is noise (a broken line), never a reply: it is dropped. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

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
  /** The answer to a guest program's host call; the agent never replies to it. */
  | { id: number; op: "host-reply"; ok: true; body: unknown }
  | { id: number; op: "host-reply"; ok: false; error: string };

export interface ExecReply {
  exitCode: number;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stderrBytes: number;
  timedOut: boolean;
  durationMs: number;
  cwd: string;
}

export type GuestFrame =
  | { t: "hello"; version: number; pid: number }
  | { t: "bad-frame"; length: number }
  /** A guest program asks the host (for example the `cloud` CLI); `id` is the agent's own numbering. */
  | { t: "host-call"; id: number; service: string; body: unknown }
  | ({ id: number; ok: true } & Record<string, unknown>)
  | { id: number; ok: false; error: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Base64 of bytes, in chunks so large buffers do not overflow the argument list. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** One frame line: the prefix, base64 of the JSON, a newline. */
function frameLine(value: GuestRequest | GuestFrame): Uint8Array {
  const json = encoder.encode(JSON.stringify(value));
  return encoder.encode(`${FRAME_PREFIX}${bytesToBase64(json)}\n`);
}

export function encodeRequest(request: GuestRequest): Uint8Array {
  return frameLine(request);
}

/** A guest-side frame, as the agent writes it (for tests of the host side). */
export function encodeFrame(frame: GuestFrame): Uint8Array {
  return frameLine(frame);
}

function parseFrame(line: string): GuestFrame | undefined {
  const start = line.indexOf(FRAME_PREFIX);
  if (start < 0) return undefined;
  try {
    const json = decoder.decode(base64ToBytes(line.slice(start + FRAME_PREFIX.length).trim()));
    const value: unknown = JSON.parse(json);
    if (typeof value !== "object" || value === null) return undefined;
    return value as GuestFrame;
  } catch {
    return undefined;
  }
}

/**
 * Splits the byte stream from the guest into frames. Bytes that are not a well-formed frame
 * (boot noise, a line cut by an agent restart) are skipped, never fatal.
 */
export class FrameDecoder {
  private pending = "";

  push(bytes: Uint8Array | number[]): GuestFrame[] {
    // The frames are ASCII, so decoding byte by byte as Latin-1 cannot split a character.
    let text = "";
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i] ?? 0);
    const frames: GuestFrame[] = [];
    // Only the new text is searched for line ends: a long frame arriving byte by byte stays linear.
    let newline = text.indexOf("\n");
    while (newline >= 0) {
      const frame = parseFrame(this.pending + text.slice(0, newline));
      if (frame) frames.push(frame);
      this.pending = "";
      text = text.slice(newline + 1);
      newline = text.indexOf("\n");
    }
    this.pending += text;
    if (this.pending.length > MAX_FRAME_BYTES) this.pending = "";
    return frames;
  }
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
