// The Vm interface every part of OpsLab drives: run commands, move files, reset, and the person's console.

/** Default limit of one command when the caller gives none. */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
/** What one command may print per stream before the rest is cut (the cut is reported). */
export const MAX_OUTPUT_BYTES = 64 * 1024;
/** The shell session commands run in unless told otherwise; others keep their own cwd and variables. */
export const DEFAULT_SESSION = "default";
/** Alarms a channel report keeps in full; beyond them only the counts grow. */
export const MAX_CHANNEL_ALARMS = 50;

export interface ExecOptions {
  timeoutMs?: number;
  /** Directory for this command (the session's current directory otherwise). */
  cwd?: string;
  /** Variables added for this command. */
  env?: Record<string, string>;
  /** Named shell session: its directory and exported variables carry over between its commands. */
  session?: string;
  maxOutputBytes?: number;
  /**
   * Aborting it cancels the command in the guest: its shell and every process of its cgroup are killed, as
   * at its time limit, and the promise resolves with the result so far (`cancelled: true`, exit code 130).
   */
  signal?: AbortSignal;
}

export interface ExecResult {
  /** The command's exit code; 124 when it was killed at its time limit, 128+N when killed by signal N. */
  exitCode: number;
  /** Output as UTF-8 text (invalid sequences replaced); the exact bytes are in `raw`. */
  stdout: string;
  stderr: string;
  raw: { stdout: Uint8Array; stderr: Uint8Array };
  /** Bytes the command printed, including any that were cut. */
  stdoutTotalBytes: number;
  stderrTotalBytes: number;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  timedOut: boolean;
  /** The command was cancelled through ExecOptions.signal (exit code 130). */
  cancelled: boolean;
  durationMs: number;
  /** The session's directory after the command. */
  cwd: string;
}

export interface WriteFileOptions {
  /** Permission bits, for example 0o755. */
  mode?: number;
}

export interface VmConsole {
  /** Bytes the guest writes to its console (ttyS0); returns an unsubscribe function. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** Keystrokes for the console, UTF-8. */
  write(data: string | Uint8Array): void;
}

/**
 * Answers one call a guest program makes to the host (the body it sent in, the body it gets back).
 * A thrown error's message goes back to the program as the failure.
 */
export type HostCallHandler = (body: unknown) => unknown;

/**
 * What the guest did to the channel to its agent that the agent itself would not do:
 * - "forged-frame": a frame without a MAC, or with a wrong one (written to ttyS1 by something else);
 * - "malformed-frame": a line that is no frame (bad base64 or JSON, not a guest frame, a reply whose fields
 *   do not fit its request), or the agent saying it could not read a request (injected input);
 * - "oversized-frame": a line over MAX_FRAME_BYTES;
 * - "agent-restarted": the agent said hello again (it was killed, or a hello was forged): what it ran is lost;
 * - "host-call-refused": more calls to the host at once than the host answers.
 */
export const CHANNEL_ALARM_KINDS = [
  "forged-frame",
  "malformed-frame",
  "oversized-frame",
  "agent-restarted",
  "host-call-refused",
] as const;
export type ChannelAlarmKind = (typeof CHANNEL_ALARM_KINDS)[number];

export interface ChannelAlarm {
  /** Milliseconds since the VM's last start, restore or reset. */
  atMs: number;
  kind: ChannelAlarmKind;
  /** What came, shortened: the evidence. */
  detail: string;
}

export interface ChannelReport {
  /**
   * The host and the agent shared a key since the last start, restore or reset, and since then no frame was
   * forged and the agent did not restart: every reply taken came from the agent.
   */
  trusted: boolean;
  /** The first MAX_CHANNEL_ALARMS alarms since the last start, restore or reset, oldest first. */
  alarms: ChannelAlarm[];
  /** Every alarm since then by kind, those past the kept ones included. */
  counts: Record<ChannelAlarmKind, number>;
}

/** The report of a channel where nothing happened yet (trusted, no alarm). */
export function quietChannelReport(): ChannelReport {
  const counts = Object.fromEntries(CHANNEL_ALARM_KINDS.map((kind) => [kind, 0]));
  return { trusted: true, alarms: [], counts: counts as ChannelReport["counts"] };
}

export interface Vm {
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  writeFile(path: string, data: string | Uint8Array, options?: WriteFileOptions): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Kills every process that commands of `session` started (background jobs and daemons left behind
   * included) and its waiting shell, and forgets the session (its directory and variables); resolves with
   * the processes still there when the kill gave up (0 when all are gone).
   */
  killSession(session: string): Promise<{ remaining: number }>;
  /** Flushes the guest's page cache to its file system (sync), so the host side reads what the guest sees. */
  syncFiles(): Promise<void>;
  /** What the guest did to the command channel since the last start, restore or reset. */
  channelReport(): ChannelReport;
  /** Saves the whole machine (memory, devices, file system changes), zstd-compressed or raw. */
  saveState(): Promise<ArrayBuffer>;
  /** Puts the machine back to a saved state and waits for the guest agent. */
  restoreState(state: ArrayBuffer): Promise<void>;
  /** Back to the state the VM started from. */
  reset(): Promise<void>;
  destroy(): Promise<void>;
  /**
   * Answers guest programs' calls to `service` (for example "cloud") until the returned function is
   * called. NOTE: the handler belongs to the Vm object, so it survives restoreState() and reset().
   */
  handleHostCalls(service: string, handler: HostCallHandler): () => void;
  readonly console: VmConsole;
}
