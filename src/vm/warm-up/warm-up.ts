// Background warm-up: runs common programs and reads the commonly needed image files in the guest at
// the lowest priority, so their blobs are fetched, their pages cached and their code compiled early.
import type { Vm } from "../vm";
import type { WarmFile } from "./warm-paths";

/** The guest-agent session of the warm-up, apart from the person's and the agent's shells. */
export const WARM_UP_SESSION = "warm-up";
/** Guest bytes per command: a reset or a stop ends the warm-up within one such batch. */
export const WARM_UP_BATCH_BYTES = 4 * 1024 * 1024;
export const WARM_UP_BATCH_MAX_FILES = 200;
/** Limit of one step (a batch or a program run); one that hits it is given up, and the warm-up goes on. */
export const WARM_UP_BATCH_TIMEOUT_MS = 120_000;
/** A program the warm-up runs at the lowest priority, and how many times. */
export interface WarmUpProgram {
  command: string;
  runs: number;
}

/**
 * The first run of a program after a restore fetches its files and the files it only probes (which
 * reading the listed files does not warm), and the emulator compiles code only after it has run
 * often: measured in Node after a restore, `python3 -c 1` took 2.75, 1.87, 1.64, 1.35, 1.26 s, then
 * about 0.76 s over the next 6 runs and 0.48 s after that. NOTE: harmless and quick whatever state the
 * guest is in: nothing here reaches a service a task runs (dig asks port 9, where nothing listens;
 * curl reads /dev/null), so no log a task or an agent reads gets a line from it.
 */
export const WARM_UP_PROGRAMS: readonly WarmUpProgram[] = [
  { command: "python3 -c 1", runs: 12 },
  { command: "dig +time=1 +tries=1 -p 9 @127.0.0.1 localhost", runs: 8 },
  { command: "curl -s file:///dev/null", runs: 4 },
  { command: "systemctl --version", runs: 3 },
];

/** The warm-up waits until the person or the agent has sent nothing for this long. */
export const WARM_UP_IDLE_MS = 3_000;
/** Written in the guest when the warm-up has done every step: "<files> <bytes> <ms>". */
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
  /** Waited for before each guest command (the person or the agent is busy). */
  beforeEach?: () => Promise<void>;
  /** Told after each step done. */
  afterEach?: () => void;
  /**
   * Whether the next step first waits in the guest until its CPU is idle (whenGuestIdle); every
   * step does when absent.
   */
  idleCheckDue?: () => boolean;
}

/** How far the warm-up since the VM's last (re)start has got: steps done of all its steps. */
export interface WarmUpProgress {
  done: number;
  total: number;
}

/** One guest command of the warm-up: a batch of files to read, or one run of a program. */
export interface WarmUpStep {
  /** At the lowest priority, its output dropped; warmUp() may make it wait for an idle guest first. */
  command: string;
  /** The files the step reads, and their guest bytes (none for a program). */
  files: number;
  bytes: number;
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

/** The guest counts as idle while its CPU is busy at most this share of the time. */
export const IDLE_GUEST_MAX_BUSY_PERCENT = 25;
/** One span of the idle check, in seconds: the guest is idle after two idle spans in a row. */
export const IDLE_GUEST_SPAN_S = 0.25;
/** The idle check gives up waiting after this many spans (30 s). */
export const IDLE_GUEST_MAX_SPANS = 120;
/** A FIFO nobody writes to: `read -t` on it waits without starting a process. */
const IDLE_WAIT_FIFO = "/run/opslab/warm-up.fifo";

/**
 * Shell (builtins only, once the FIFO exists) that waits until the guest's CPU has been idle for two
 * spans in a row, for at most IDLE_GUEST_MAX_SPANS: a command typed at the console is invisible to
 * the host, and even a niced reader slows it (its 9p reads and the blobs' inflating are not niced).
 * NOTE: busy time from /proc/stat's first line, not the number of runnable tasks: on a tickless
 * kernel that count often caught a kernel thread or the agent waking for a moment. An external
 * `sleep` made each span 4-12% busy on an idle guest, waiting on the FIFO 0-4%.
 */
export const WAIT_FOR_IDLE_GUEST =
  `[ -p ${IDLE_WAIT_FIFO} ] || mkfifo ${IDLE_WAIT_FIFO}; ` +
  "read -r _ us ni sy id io hi si _ < /proc/stat; pb=$((us+ni+sy+hi+si)); pt=$((pb+id+io)); i=0; n=0; " +
  `while [ $n -lt 2 ] && [ $i -lt ${IDLE_GUEST_MAX_SPANS} ]; do read -t ${IDLE_GUEST_SPAN_S} -u 9; ` +
  "read -r _ us ni sy id io hi si _ < /proc/stat; b=$((us+ni+sy+hi+si)); t=$((b+id+io)); " +
  `if [ $(((b-pb)*100)) -le $(((t-pt)*${IDLE_GUEST_MAX_BUSY_PERCENT})) ]; then n=$((n+1)); else n=0; fi; ` +
  `pb=$b; pt=$t; i=$((i+1)); done 9<>${IDLE_WAIT_FIFO}`;

/** `command` made to wait until the guest is idle. */
export function whenGuestIdle(command: string): string {
  return `${WAIT_FOR_IDLE_GUEST}; ${command}`;
}

/** `command` at the lowest CPU priority, its output dropped and its failure ignored. */
export function atLowestPriority(command: string): string {
  return `nice -n 19 ${command} >/dev/null 2>&1; true`;
}

/**
 * One guest command that reads `paths`. Missing files are skipped quietly: the list may have been
 * measured on another build of the image.
 */
export function warmUpCommand(paths: readonly string[]): string {
  return atLowestPriority(`cat -- ${paths.map(shellQuote).join(" ")}`);
}

/**
 * The warm-up in order: each program once (the longest stalls are its files arriving), then the
 * files batch by batch, then the programs' other runs in turns, so each gets quicker a little at a
 * time.
 */
export function warmUpSteps(
  files: readonly WarmFile[],
  programs: readonly WarmUpProgram[],
): WarmUpStep[] {
  const run = (program: WarmUpProgram): WarmUpStep => ({
    command: atLowestPriority(program.command),
    files: 0,
    bytes: 0,
  });
  const steps = programs.filter((p) => p.runs > 0).map(run);
  for (const batch of warmUpBatches(files))
    steps.push({
      command: warmUpCommand(batch.map((f) => f.path)),
      files: batch.length,
      bytes: batch.reduce((n, f) => n + f.bytes, 0),
    });
  const mostRuns = Math.max(0, ...programs.map((p) => p.runs));
  for (let round = 1; round < mostRuns; round++)
    steps.push(...programs.filter((p) => p.runs > round).map(run));
  return steps;
}

/**
 * Runs `steps` in the guest, one after the other. NOTE: never rejects: a reset, a destroyed VM or a
 * stop ends it quietly with `completed: false`; the report counts the steps done.
 */
export async function warmUp(
  vm: Vm,
  steps: readonly WarmUpStep[],
  options: WarmUpOptions = {},
): Promise<WarmUpReport & { steps: number }> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const report = { steps: 0, files: 0, bytes: 0, ms: 0, completed: false };
  for (const step of steps) {
    await options.beforeEach?.();
    if (options.signal?.aborted) break;
    const command = (options.idleCheckDue?.() ?? true) ? whenGuestIdle(step.command) : step.command;
    try {
      await vm.exec(command, {
        session: WARM_UP_SESSION,
        timeoutMs: WARM_UP_BATCH_TIMEOUT_MS,
      });
    } catch {
      break; // the VM was reset or destroyed, or stopped answering: nothing to warm any more
    }
    report.steps++;
    report.files += step.files;
    report.bytes += step.bytes;
    options.afterEach?.();
  }
  report.completed = report.steps === steps.length && !options.signal?.aborted;
  report.ms = now() - started;
  return report;
}

/** How long after the VM is ready the warm-up starts: the first prompt shows first, and its bytes stay apart. */
export const WARM_UP_DELAY_MS = 1_000;

const IDLE_POLL_MS = 250;

/**
 * A step skips the guest's idle check when nothing was typed, printed or run since the last check
 * began, unless that was this long ago (a command started at the console earlier may have woken up).
 * Each check takes at least two spans: in the page, the warm-up took 59 s with a check before every
 * step and 43 s with this (npm run bench:browser, warm_up_ms).
 */
export const IDLE_RECHECK_MS = 10_000;

export interface BackgroundWarmUpOptions {
  onReport?: (report: WarmUpReport) => void;
  /** Told at each (re)start and after each step (the page shows it). */
  onProgress?: (progress: WarmUpProgress) => void;
  delayMs?: number;
  idleMs?: number;
  /** WARM_UP_PROGRAMS by default. */
  programs?: readonly WarmUpProgram[];
  now?: () => number;
}

/** Runs one warm-up after each (re)start of a VM, ending the one before; pauses while a state is saved. */
export class BackgroundWarmUp {
  private controller: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastActivityAt = -Infinity;
  private commandsInFlight = 0;
  private idleCheckedAt = -Infinity;
  /** Since the last restart: the steps done so far, and when the first began. */
  private progress = { steps: 0, startedAt: 0, reported: false };

  private readonly onReport: (report: WarmUpReport) => void;
  private readonly onProgress: (progress: WarmUpProgress) => void;
  private readonly delayMs: number;
  private readonly idleMs: number;
  private readonly steps: readonly WarmUpStep[];
  private readonly now: () => number;

  constructor(
    private readonly vm: Vm,
    files: readonly WarmFile[],
    options: BackgroundWarmUpOptions = {},
  ) {
    this.onReport = options.onReport ?? (() => undefined);
    this.onProgress = options.onProgress ?? (() => undefined);
    this.delayMs = options.delayMs ?? WARM_UP_DELAY_MS;
    this.idleMs = options.idleMs ?? WARM_UP_IDLE_MS;
    // Without files there is nothing to fetch ahead: programs alone are not worth the guest's time.
    this.steps = files.length === 0 ? [] : warmUpSteps(files, options.programs ?? WARM_UP_PROGRAMS);
    this.now = options.now ?? (() => Date.now());
  }

  /**
   * A keystroke of the person, or output on the console: the warm-up sends its next command only
   * after a pause. NOTE: before console output counted, the warm-up's first step started while
   * the first command typed at the prompt still ran: in the page, dig took 3.5 s instead of 2.5 s
   * (npm run bench:browser, first_use_ms against first_use_ms_without_warm_up).
   */
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

  private idleCheckDue(): boolean {
    const now = this.now();
    const quietSinceCheck = this.lastActivityAt < this.idleCheckedAt;
    if (quietSinceCheck && now - this.idleCheckedAt < IDLE_RECHECK_MS) return false;
    this.idleCheckedAt = now;
    return true;
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
    this.progress = { steps: 0, startedAt: 0, reported: false };
    this.idleCheckedAt = -Infinity;
    if (this.steps.length > 0) this.onProgress({ done: 0, total: this.steps.length });
    this.schedule(this.delayMs);
  }

  /**
   * Sends no further batch and waits for the one in flight, so that a state saved now holds no
   * warm-up command half done; resume() goes on with the steps not done yet.
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
    if (this.steps.length === 0 || progress.reported) return;
    const rest = this.steps.slice(progress.steps);
    const controller = new AbortController();
    this.controller = controller;
    const timer = setTimeout(() => {
      if (progress.steps === 0) progress.startedAt = this.now();
      const beforeEach = () => this.whenIdle(controller.signal);
      const afterEach = () => {
        progress.steps++;
        if (progress === this.progress)
          this.onProgress({ done: progress.steps, total: this.steps.length });
      };
      this.running = warmUp(this.vm, rest, {
        signal: controller.signal,
        beforeEach,
        afterEach,
        idleCheckDue: () => this.idleCheckDue(),
      }).then((report) => this.finish(progress, report));
    }, delayMs);
    controller.signal.addEventListener("abort", () => clearTimeout(timer));
  }

  private async finish(
    progress: BackgroundWarmUp["progress"],
    report: WarmUpReport,
  ): Promise<void> {
    if (!report.completed || progress !== this.progress) return;
    progress.reported = true;
    // Completed: every step is done, over however many pauses.
    const files = this.steps.reduce((n, step) => n + step.files, 0);
    const bytes = this.steps.reduce((n, step) => n + step.bytes, 0);
    const ms = this.now() - progress.startedAt;
    await this.vm
      .exec(`echo ${files} ${bytes} ${ms} > ${WARM_UP_DONE_FILE}`, { session: WARM_UP_SESSION })
      .catch(() => undefined);
    this.onReport({ files, bytes, ms, completed: true });
  }
}
