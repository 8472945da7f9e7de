// Background warm-up: reads the commonly needed image files in the guest at the lowest priority, so
// that their blobs are fetched and their pages cached before the person or the agent needs them.
import type { Vm } from "./vm";
import type { WarmFile } from "./warm-paths";

/** The guest-agent session of the warm-up, apart from the person's and the agent's shells. */
export const WARM_UP_SESSION = "warm-up";
/** Guest bytes per command: a reset or a stop ends the warm-up within one such batch. */
export const WARM_UP_BATCH_BYTES = 8 * 1024 * 1024;
export const WARM_UP_BATCH_MAX_FILES = 200;
/** Limit of one batch; a batch that hits it is given up, and the warm-up goes on with the next. */
export const WARM_UP_BATCH_TIMEOUT_MS = 120_000;
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

/**
 * One guest command that reads `paths` at the lowest CPU priority. Missing files are skipped
 * quietly: the list may have been measured on another build of the image.
 */
export function warmUpCommand(paths: readonly string[]): string {
  return `nice -n 19 cat -- ${paths.map(shellQuote).join(" ")} >/dev/null 2>&1; true`;
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
  for (const batch of warmUpBatches(files)) {
    if (options.signal?.aborted) break;
    try {
      await vm.exec(warmUpCommand(batch.map((f) => f.path)), {
        session: WARM_UP_SESSION,
        timeoutMs: WARM_UP_BATCH_TIMEOUT_MS,
      });
    } catch {
      break; // the VM was reset or destroyed, or stopped answering: nothing to warm any more
    }
    report.files += batch.length;
    report.bytes += batch.reduce((n, f) => n + f.bytes, 0);
  }
  report.completed = report.files === files.length && !options.signal?.aborted;
  report.ms = now() - started;
  return report;
}

/** How long after the VM is ready the warm-up starts: the first prompt shows first, and its bytes stay apart. */
export const WARM_UP_DELAY_MS = 1_000;

/** Runs one warm-up after each (re)start of a VM, ending the one before; pauses while a state is saved. */
export class BackgroundWarmUp {
  private controller: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  /** Since the last restart: the files of the list read so far, their bytes, and when reading began. */
  private progress = { files: 0, bytes: 0, startedAt: 0 };

  constructor(
    private readonly vm: Vm,
    private readonly files: readonly WarmFile[],
    private readonly onReport: (report: WarmUpReport) => void = () => undefined,
    private readonly delayMs = WARM_UP_DELAY_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Ends the running warm-up and starts a new one after the delay (the VM has just been restored). */
  restart(): void {
    this.stop();
    this.progress = { files: 0, bytes: 0, startedAt: 0 };
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
    const rest = this.files.slice(progress.files);
    if (rest.length === 0) return;
    const controller = new AbortController();
    this.controller = controller;
    const timer = setTimeout(() => {
      if (progress.files === 0) progress.startedAt = this.now();
      this.running = warmUp(this.vm, rest, { signal: controller.signal }).then((report) =>
        this.finish(progress, report),
      );
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
    const total = { ...progress, ms: this.now() - progress.startedAt, completed: true };
    await this.vm
      .exec(`echo ${total.files} ${total.bytes} ${total.ms} > ${WARM_UP_DONE_FILE}`, {
        session: WARM_UP_SESSION,
      })
      .catch(() => undefined);
    this.onReport({ files: total.files, bytes: total.bytes, ms: total.ms, completed: true });
  }
}
