// exec, writeFile and readFile as guest-agent requests, turned into typed results and errors.
import { GuestOpError } from "./errors";
import type { GuestChannel, Reply } from "./guest-channel";
import { base64ToBytes, bytesToBase64, fromUtf8, utf8, type ExecReply } from "./protocol";
import {
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_SESSION,
  MAX_OUTPUT_BYTES,
  type ExecOptions,
  type ExecResult,
  type WriteFileOptions,
} from "./vm";

/** Time the host waits past a command's own limit before it calls the guest unresponsive. */
export const EXEC_REPLY_GRACE_MS = 10_000;
/** Bytes per write request (about 43 KB of base64 per frame). */
export const WRITE_CHUNK_BYTES = 32 * 1024;
/** Bytes per read request. */
export const READ_CHUNK_BYTES = 256 * 1024;
/** Deadline of one file request. */
export const FILE_OP_DEADLINE_MS = 30_000;

function unwrap(reply: Reply, op: string): Record<string, unknown> {
  if (!reply.ok) throw new GuestOpError(op, reply.error);
  return reply;
}

export async function execInGuest(
  channel: GuestChannel,
  command: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const maxOutputBytes = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  const reply = unwrap(
    await channel.request(
      {
        op: "exec",
        command,
        session: options.session ?? DEFAULT_SESSION,
        timeoutMs,
        maxOutputBytes,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(options.env === undefined ? {} : { env: options.env }),
      },
      timeoutMs + EXEC_REPLY_GRACE_MS,
      `the command \`${command.length > 60 ? command.slice(0, 57) + "..." : command}\``,
    ),
    "exec",
  ) as unknown as ExecReply;
  const stdout = base64ToBytes(reply.stdout);
  const stderr = base64ToBytes(reply.stderr);
  return {
    exitCode: reply.exitCode,
    stdout: fromUtf8(stdout),
    stderr: fromUtf8(stderr),
    raw: { stdout, stderr },
    stdoutTotalBytes: reply.stdoutBytes,
    stderrTotalBytes: reply.stderrBytes,
    stdoutTruncated: reply.stdoutBytes > stdout.length,
    stderrTruncated: reply.stderrBytes > stderr.length,
    timedOut: reply.timedOut,
    durationMs: reply.durationMs,
    cwd: reply.cwd,
  };
}

export async function writeFileInGuest(
  channel: GuestChannel,
  path: string,
  data: string | Uint8Array,
  options: WriteFileOptions = {},
): Promise<void> {
  const bytes = typeof data === "string" ? utf8(data) : data;
  let offset = 0;
  do {
    const chunk = bytes.subarray(offset, offset + WRITE_CHUNK_BYTES);
    const last = offset + chunk.length >= bytes.length;
    unwrap(
      await channel.request(
        {
          op: "write",
          path,
          data: bytesToBase64(chunk),
          append: offset > 0,
          ...(last && options.mode !== undefined ? { mode: options.mode } : {}),
        },
        FILE_OP_DEADLINE_MS,
        `writing ${path}`,
      ),
      `writing ${path}`,
    );
    offset += chunk.length;
  } while (offset < bytes.length);
}

export async function readFileInGuest(channel: GuestChannel, path: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  let size = 0;
  do {
    const reply = unwrap(
      await channel.request(
        { op: "read", path, offset, length: READ_CHUNK_BYTES },
        FILE_OP_DEADLINE_MS,
        `reading ${path}`,
      ),
      `reading ${path}`,
    );
    const chunk = base64ToBytes(String(reply.data));
    size = Number(reply.size);
    parts.push(chunk);
    offset += chunk.length;
    if (chunk.length === 0) break; // the file shrank while being read
  } while (offset < size);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
