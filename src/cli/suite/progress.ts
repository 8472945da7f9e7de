// What the suite runner prints as items finish: one rewritten line on a terminal, plain lines otherwise, nothing in CI.
import type { RunRecord } from "../../domain/run";

export type ProgressMode = "tty" | "lines" | "quiet";

/** NOTE: CI logs are not terminals and are read after the fact: only the summary goes there. */
export function progressMode(env: NodeJS.ProcessEnv, isTty: boolean): ProgressMode {
  if (env.CI && env.CI !== "false" && env.CI !== "0") return "quiet";
  return isTty ? "tty" : "lines";
}

/** "1 h 02 min", "3 min 05 s", "42 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

export interface ProgressCounts {
  done: number;
  total: number;
  passes: number;
  /** Items that could not run (an error, not a verdict). */
  errors: number;
  elapsedMs: number;
  /** Items done by this process (a resumed suite's earlier items took no time here). */
  doneHere: number;
}

/** "12/40 · 9 passed · 1 error · 3 min 10 s · about 7 min left": time left from the pace so far. */
export function progressLine(counts: ProgressCounts): string {
  const { done, total, passes, errors, elapsedMs, doneHere } = counts;
  const parts = [`${done}/${total}`, `${passes} passed`];
  if (errors) parts.push(`${errors} error${errors > 1 ? "s" : ""}`);
  parts.push(formatDuration(elapsedMs));
  if (doneHere > 0 && done < total)
    parts.push(`about ${formatDuration((elapsedMs / doneHere) * (total - done))} left`);
  return parts.join(" · ");
}

/** One finished run as a line: verdict, task, agent, trial, steps, time. */
export function runLine(record: RunRecord, trial: number): string {
  const { outcome } = record;
  const verdict =
    outcome.verdict === "tampered"
      ? "TAMPERED"
      : outcome.verdict === "pass"
        ? "pass"
        : outcome.verdict === "fail"
          ? "FAIL"
          : `no verdict (${outcome.reason ?? "unknown"})`;
  return `${verdict} ${record.task.id} ${record.agent.provider}/${record.agent.model} #${trial} ${outcome.steps} steps ${formatDuration(outcome.durationMs)}`;
}

/** Prints progress as items finish, in the chosen mode. */
export class Progress {
  private readonly counts: ProgressCounts;
  private readonly started: number;

  constructor(
    total: number,
    private readonly mode: ProgressMode,
    private readonly write: (text: string) => void,
    private readonly now: () => number = Date.now,
    already: { done: number; passes: number } = { done: 0, passes: 0 },
  ) {
    this.started = now();
    this.counts = { ...already, total, errors: 0, elapsedMs: 0, doneHere: 0 };
  }

  private update(line: string): void {
    this.counts.elapsedMs = this.now() - this.started;
    if (this.mode === "lines") this.write(`${line}  [${progressLine(this.counts)}]\n`);
    // NOTE: \r and erase-to-end rewrite one line; the finished run is printed above it.
    if (this.mode === "tty") this.write(`\r\x1b[K${line}\n${progressLine(this.counts)}`);
  }

  ran(record: RunRecord, trial: number): void {
    this.counts.done++;
    this.counts.doneHere++;
    if (record.outcome.verdict === "pass") this.counts.passes++;
    this.update(runLine(record, trial));
  }

  failed(label: string, message: string): void {
    this.counts.done++;
    this.counts.doneHere++;
    this.counts.errors++;
    this.update(`ERROR ${label}: ${message}`);
  }

  /** Ends the rewritten line so that what follows starts on its own. */
  end(): void {
    if (this.mode === "tty") this.write("\n");
  }
}
