// Background warm-up: reads the commonly needed image files in the guest at the lowest priority, so
// that their blobs are fetched and their pages cached before the person or the agent needs them.
import type { Vm } from "./vm";
import type { WarmFile } from "./warm-paths";

/** The guest-agent session of the warm-up, apart from the person's and the agent's shells. */
export const WARM_UP_SESSION = "warm-up";
/** Guest bytes per command: a reset or a stop ends the warm-up within one such batch. */
export const WARM_UP_BATCH_BYTES = 4 * 1024 * 1024;
export const WARM_UP_BATCH_MAX_FILES = 200;
/** Limit of one batch; a batch that hits it is given up, and the warm-up goes on with the next. */
export const WARM_UP_BATCH_TIMEOUT_MS = 120_000;
/**
 * Run at the lowest priority after the files, each a few times: the first runs of a program also pay
 * for the emulator compiling its code (it compiles code that has run often) and for 9p look-ups of the
 * files it only probes, which reading the files does not warm. Measured in Node after a restore,
 * python3 -c 1 took 2.5, 1.3, 1.2, 1.2, 1.2, 1.0 s; dig 0.9, 0.45, 0.36 s. NOTE: harmless and quick
 * whatever state the guest is in: nothing here reaches a service a task runs (dig asks port 9, where
 * nothing listens; curl reads /dev/null), so no log a task or an agent reads gets a line from it.
 */
export const WARM_UP_COMMANDS: readonly string[] = [
  ...repeat("python3 -c 1", 5),
  ...repeat("dig +time=1 +tries=1 -p 9 @127.0.0.1 localhost", 3),
  ...repeat("curl -s file:///dev/null", 3),
  ...repeat("systemctl --version", 2),
];

function repeat(command: string, times: number): string[] {
  return Array.from({ length: times }, () => command);
}

/** The warm-up waits until the person or the agent has sent nothing for this long. */
export const WARM_UP_IDLE_MS = 3_000;
/** Written in the guest when the warm-up has read every file: "<files> <bytes> <ms>". */
export const WARM_UP_DONE_FILE = "/run/opslab/warm-up.done";

export interface WarmUpReport {
  /** Files read (and so fetched) and their guest bytes. */
  files: number;
  bytes: number;
  ms: number;
  /** False when it was stopped (or the VM reset or destroyed) before the last batch. */
  completed: boolean;
}

export interface WarmUpOptions {
  signal?: AbortSignal;
  now?: () => number;
  /** Run after the files (WARM_UP_COMMANDS in the page); none by default. */
  commands?: readonly string[];
  /** Waited for before each guest command (the person or the agent is busy). */
  beforeEach?: () => Promise<void>;
}

/** Consecutive files of at most WARM_UP_BATCH_BYTES (a bigger file makes a batch of its own). */
export function warmUpBatches(files: readonly WarmFile[]): WarmFile[][] {
  const batches: WarmFile[][] = [];
  let batch: WarmFile[] = [];
  let bytes = 0;
  for (const file of files) {
    if (
      batch.length > 0 &&
      (bytes + file.bytes > WARM_UP_BATCH_BYTES || batch.length >= WARM_UP_BATCH_MAX_FILES)
    ) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(file);
    bytes += file.bytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The guest counts as idle while its CPU is busy at most this share of the time (over 0.5 s). */
export const IDLE_GUEST_MAX_BUSY_PERCENT = 25;

/**
 * Shell (builtins and sleep only) that waits until the guest's CPU has been idle for two half-second
 * spans in a row, for at most about 30 s: a command typed at the console is invisible to the host,
 * and even a niced reader slows it (its 9p reads and the blobs' inflating are not niced).
 * NOTE: busy time from /proc/stat's first line, not the number of runnable tasks: on a tickless
 * kernel that count often caught a kernel thread or the agent waking for a moment, and the wait took
 * 15-20 s on an idle guest.
 */
export const WAIT_FOR_IDLE_GUEST =
  "i=0; n=0; pt=0; pb=0; while [ $n -lt 2 ] && [ $i -lt 60 ]; do " +
  "read -r _ us ni sy id io hi si _ < /proc/stat; b=$((us+ni+sy+hi+si)); t=$((b+id+io)); " +
  `if [ $i -gt 0 ] && [ $(((b-pb)*100)) -le $(((t-pt)*${IDLE_GUEST_MAX_BUSY_PERCENT})) ]; ` +
  "then n=$((n+1)); else n=0; fi; pb=$b; pt=$t; i=$((i+1)); sleep 0.5; done";

/**
 * One guest command that waits for an idle guest, then runs `command` at the lowest CPU priority,
 * its output dropped and its failure ignored.
 */
export function whenGuestIdle(command: string): string {
  return `${WAIT_FOR_IDLE_GUEST}; nice -n 19 ${command} >/dev/null 2>&1; true`;
}

/**
 * One guest command that reads `paths` once the guest is idle. Missing files are skipped quietly:
 * the list may have been measured on another build of the image.
 */
export function warmUpCommand(paths: readonly string[]): string {
  return whenGuestIdle(`cat -- ${paths.map(shellQuote).join(" ")}`);
}

/**
 * Reads `files` in the guest, batch after batch. NOTE: never rejects: a reset, a destroyed VM or
 * a stop ends it quietly with `completed: false`.
 */
export async function warmUp(
  vm: Vm,
  files: readonly WarmFile[],
  options: WarmUpOptions = {},
): Promise<WarmUpReport> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const report: WarmUpReport = { files: 0, bytes: 0, ms: 0, completed: false };
  const run = async (command: string): Promise<boolean> => {
    await options.beforeEach?.();
    if (options.signal?.aborted) return false;
    try {
      await vm.exec(command, { session: WARM_UP_SESSION, timeoutMs: WARM_UP_BATCH_TIMEOUT_MS });
      return true;
    } catch {
      return false; // the VM was reset or destroyed, or stopped answering: nothing to warm any more
    }
  };
  let stopped = false;
  for (const batch of warmUpBatches(files)) {
    if (!(await run(warmUpCommand(batch.map((f) => f.path))))) {
      stopped = true;
      break;
    }
    report.files += batch.length;
    report.bytes += batch.reduce((n, f) => n + f.bytes, 0);
  }
  for (const command of stopped ? [] : (options.commands ?? [])) {
    if (!(await run(whenGuestIdle(command)))) {
      stopped = true;
      break;
    }
  }
  report.completed = !stopped && !options.signal?.aborted;
  report.ms = now() - started;
  return report;
}

/** How long after the VM is ready the warm-up starts: the first prompt shows first, and its bytes stay apart. */
export const WARM_UP_DELAY_MS = 1_000;

const IDLE_POLL_MS = 250;

export interface BackgroundWarmUpOptions {
  onReport?: (report: WarmUpReport) => void;
  delayMs?: number;
  idleMs?: number;
  /** WARM_UP_COMMANDS by default. */
  commands?: readonly string[];
  now?: () => number;
}

/** Runs one warm-up after each (re)start of a VM, ending the one before; pauses while a state is saved. */
export class BackgroundWarmUp {
  private controller: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastActivityAt = -Infinity;
  private commandsInFlight = 0;
  /** Since the last restart: the files of the list read so far, their bytes, and when reading began. */
  private progress = { files: 0, bytes: 0, startedAt: 0, reported: false };

  private readonly onReport: (report: WarmUpReport) => void;
  private readonly delayMs: number;
  private readonly idleMs: number;
  private readonly commands: readonly string[];
  private readonly now: () => number;

  constructor(
    private readonly vm: Vm,
    private readonly files: readonly WarmFile[],
    options: BackgroundWarmUpOptions = {},
  ) {
    this.onReport = options.onReport ?? (() => undefined);
    this.delayMs = options.delayMs ?? WARM_UP_DELAY_MS;
    this.idleMs = options.idleMs ?? WARM_UP_IDLE_MS;
    this.commands = options.commands ?? WARM_UP_COMMANDS;
    this.now = options.now ?? (() => Date.now());
  }

  /** A keystroke of the person: the warm-up sends its next command only once they pause. */
  noteActivity(): void {
    this.lastActivityAt = this.now();
  }

  /** A command of the person or the agent: the warm-up waits until it is done and they pause. */
  async whileBusy<T>(command: Promise<T>): Promise<T> {
    this.commandsInFlight++;
    this.noteActivity();
    try {
      return await command;
    } finally {
      this.commandsInFlight--;
      this.noteActivity();
    }
  }

  private async whenIdle(signal: AbortSignal): Promise<void> {
    for (;;) {
      const waitMs = this.lastActivityAt + this.idleMs - this.now();
      if (signal.aborted || (this.commandsInFlight === 0 && waitMs <= 0)) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(waitMs, IDLE_POLL_MS)));
    }
  }

  /** Ends the running warm-up and starts a new one after the delay (the VM has just been restored). */
  restart(): void {
    this.stop();
    this.progress = { files: 0, bytes: 0, startedAt: 0, reported: false };
    this.schedule(this.delayMs);
  }

  /**
   * Sends no further batch and waits for the one in flight, so that a state saved now holds no
   * warm-up command half done; resume() goes on with the files not read yet.
   */
  async pause(): Promise<void> {
    this.stop();
    await this.running;
  }

  resume(): void {
    if (!this.controller) this.schedule(0);
  }

  /** Ends the running warm-up (before a restore, a reset or destroy); its command stops with the VM. */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  private schedule(delayMs: number): void {
    const progress = this.progress;
    if (this.files.length === 0 || progress.reported) return;
    const rest = this.files.slice(progress.files);
    const controller = new AbortController();
    this.controller = controller;
    const timer = setTimeout(() => {
      if (progress.files === 0) progress.startedAt = this.now();
      const commands = this.commands;
      const beforeEach = () => this.whenIdle(controller.signal);
      this.running = warmUp(this.vm, rest, {
        signal: controller.signal,
        commands,
        beforeEach,
      }).then((report) => this.finish(progress, report));
    }, delayMs);
    controller.signal.addEventListener("abort", () => clearTimeout(timer));
  }

  private async finish(
    progress: BackgroundWarmUp["progress"],
    report: WarmUpReport,
  ): Promise<void> {
    progress.files += report.files;
    progress.bytes += report.bytes;
    if (!report.completed || progress !== this.progress) return;
    progress.reported = true;
    const total = {
      files: progress.files,
      bytes: progress.bytes,
      ms: this.now() - progress.startedAt,
    };
    await this.vm
      .exec(`echo ${total.files} ${total.bytes} ${total.ms} > ${WARM_UP_DONE_FILE}`, {
        session: WARM_UP_SESSION,
      })
      .catch(() => undefined);
    this.onReport({ files: total.files, bytes: total.bytes, ms: total.ms, completed: true });
  }
}
