// exec, writeFile, readFile, killSession and syncFiles as guest-agent requests, turned into typed results and errors.
import { GuestOpError, VmProtocolError } from "../errors";
import type { GuestChannel, Reply } from "./guest-channel";
import { base64ToBytes, bytesToBase64, fromUtf8, utf8, type RequestOp } from "./protocol";
import {
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_SESSION,
  MAX_OUTPUT_BYTES,
  type ExecOptions,
  type ExecResult,
  type WriteFileOptions,
} from "../vm";

/** Time the host waits past a command's own limit before it calls the guest unresponsive. */
export const EXEC_REPLY_GRACE_MS = 10_000;
/** Bytes per write request (about 43 KB of base64 per frame). */
export const WRITE_CHUNK_BYTES = 32 * 1024;
/** Bytes per read request. */
export const READ_CHUNK_BYTES = 256 * 1024;
/** Deadline of one file request. */
export const FILE_OP_DEADLINE_MS = 30_000;
/** Deadline of a cancel (the command's own reply follows it). */
export const CANCEL_DEADLINE_MS = 10_000;
/** Deadline of kill-session: the agent gives up killing after about 2 s and says what is left. */
export const KILL_SESSION_DEADLINE_MS = 30_000;
/** Deadline of a sync: every dirty page of the guest goes to the 9p file system. */
export const SYNC_DEADLINE_MS = 60_000;

function unwrap<Op extends RequestOp>(
  reply: Reply<Op>,
  op: string,
): Extract<Reply<Op>, { ok: true }> {
  if (!reply.ok) throw new GuestOpError(op, reply.error);
  return reply as Extract<Reply<Op>, { ok: true }>;
}

/** Base64 from the agent, which cannot be anything else. */
function decodeBase64(text: string, what: string): Uint8Array {
  try {
    return base64ToBytes(text);
  } catch {
    throw new VmProtocolError(`The guest agent sent ${what} that is not base64.`);
  }
}

export async function execInGuest(
  channel: GuestChannel,
  command: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const maxOutputBytes = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  const what = `the command \`${command.length > 60 ? command.slice(0, 57) + "..." : command}\``;
  const { id, reply } = channel.start(
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
    what,
  );
  // NOTE: the agent registers an exec before it reads the next request, so a cancel sent right after it
  // (the signal aborted already) always finds it.
  const { signal } = options;
  const cancel = (): void => {
    channel
      .request({ op: "cancel", target: id }, CANCEL_DEADLINE_MS, `cancelling ${what}`)
      .catch(() => undefined); // the exec's own reply (or its deadline) says how it ended
  };
  if (signal?.aborted) cancel();
  else signal?.addEventListener("abort", cancel, { once: true });
  let done: Extract<Reply<"exec">, { ok: true }>;
  try {
    done = unwrap(await reply, "exec");
  } finally {
    signal?.removeEventListener("abort", cancel);
  }
  const stdout = decodeBase64(done.stdout, "a command's stdout");
  const stderr = decodeBase64(done.stderr, "a command's stderr");
  return {
    exitCode: done.exitCode,
    stdout: fromUtf8(stdout),
    stderr: fromUtf8(stderr),
    raw: { stdout, stderr },
    stdoutTotalBytes: done.stdoutBytes,
    stderrTotalBytes: done.stderrBytes,
    stdoutTruncated: done.stdoutBytes > stdout.length,
    stderrTruncated: done.stderrBytes > stderr.length,
    timedOut: done.timedOut,
    cancelled: done.cancelled,
    durationMs: done.durationMs,
    cwd: done.cwd,
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
    const chunk = decodeBase64(reply.data, `the data of ${path}`);
    size = reply.size;
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

export async function killSessionInGuest(
  channel: GuestChannel,
  session: string,
): Promise<{ remaining: number }> {
  const reply = unwrap(
    await channel.request(
      { op: "kill-session", session },
      KILL_SESSION_DEADLINE_MS,
      `killing the processes of session "${session}"`,
    ),
    `killing session ${session}`,
  );
  return { remaining: reply.remaining };
}

export async function syncInGuest(channel: GuestChannel): Promise<void> {
  unwrap(await channel.request({ op: "sync" }, SYNC_DEADLINE_MS, "a sync"), "sync");
}
