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
  if (report.completed) {
    await vm
      .exec(`echo ${report.files} ${report.bytes} ${report.ms} > ${WARM_UP_DONE_FILE}`, {
        session: WARM_UP_SESSION,
      })
      .catch(() => undefined);
  }
  return report;
}

/** How long after the VM is ready the warm-up starts: the first prompt shows first, and its bytes stay apart. */
export const WARM_UP_DELAY_MS = 1_000;

/** Runs one warm-up after each (re)start of a VM, ending the one before. */
export class BackgroundWarmUp {
  private controller: AbortController | undefined;

  constructor(
    private readonly vm: Vm,
    private readonly files: readonly WarmFile[],
    private readonly onReport: (report: WarmUpReport) => void = () => undefined,
    private readonly delayMs = WARM_UP_DELAY_MS,
  ) {}

  /** Ends the running warm-up and starts a new one after the delay (the VM has just been restored). */
  restart(): void {
    this.stop();
    if (this.files.length === 0) return;
    const controller = new AbortController();
    this.controller = controller;
    const timer = setTimeout(() => {
      void warmUp(this.vm, this.files, { signal: controller.signal }).then((report) => {
        if (!controller.signal.aborted) this.onReport(report);
      });
    }, this.delayMs);
    controller.signal.addEventListener("abort", () => clearTimeout(timer));
  }

  /** Ends the running warm-up (before a restore, a reset or destroy); its command stops with the VM. */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
  }
}
