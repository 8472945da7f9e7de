// Forking a recorded run at step N: its task readied as a run readies it, then the calls of steps 1..N replayed, leaving the VM right after step N; as one event stream.
import { unforkableReason } from "../domain/fork";
import type { ForkOrigin, RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { replaySteps, type StepComparison } from "../domain/verification";
import type { Vm } from "../vm/vm";
import { forkBrief } from "../agent/fork-brief";
import { takeIntegrityBaseline, type IntegrityBaseline } from "./grading/integrity";
import { readyForReplay, replayCalls, StoppableOperations, type ReplayProgress } from "./replay";
import { TaskStoppedError, stopIfAborted } from "./setup-stop";
import type { ReadyTaskOptions } from "./task-state";

/** A machine put right after a step of a run: what a run carrying on from it needs. */
export interface ForkPoint {
  origin: ForkOrigin;
  taskId: string;
  /** Taken on the readied task before the first replayed call, as a run takes it before the agent's first. */
  baseline: IntegrityBaseline;
  /** What an agent taking over is told after the ticket: the earlier calls and their recorded results. */
  history: string;
  /** Replayed calls whose exit code, time-out or kind of result differed from the recording. */
  differences: StepComparison[];
  /** Readying the task (with the baseline), replaying the calls; and the whole, in milliseconds. */
  readyMs: number;
  replayMs: number;
  durationMs: number;
}

export type ForkEvent =
  /** The run cannot be forked here (its task is missing or changed, no such step): the VM was not touched. */
  | { type: "unforkable"; reason: string }
  | { type: "readying" }
  | { type: "ready"; durationMs: number; fromSavedState: boolean; note?: string }
  | ReplayProgress
  | { type: "forked"; fork: ForkPoint }
  /** Stopped through the signal: the VM was reset. */
  | { type: "stopped" };

export interface ForkRunOptions {
  vm: Vm;
  /** This OpsLab's task of the run; undefined when it has none of that id. */
  task: TaskBundle | undefined;
  record: RunRecord;
  /** The step to stand after: its calls and those before it are replayed (0: the readied task). */
  step: number;
  /** Where states after setup are kept (as a run readies its task); without it the task is set up afresh. */
  stateCache?: ReadyTaskOptions;
  signal?: AbortSignal;
}

/**
 * Puts `vm` in the state right after `step` of `record`: the task readied, then every recorded call of
 * steps 1..step replayed as verify replays it (the same time allowances). NOTE: re-running commands
 * reproduces the machine only as far as they are deterministic: a call whose outcome differs is reported
 * in `differences`, never hidden.
 * NOTE: replay, not a save_state kept after every step: snapshots fork in ~1 s but cost every run ~0.5 s
 * and ~35 MiB a step (0.7 GB for 20 steps, more than a page can keep), and exist only in the browser that
 * made the run; replay costs nothing until asked and works for shared and imported runs (npm run
 * bench:fork; README, "Fork at a step").
 */
export async function* forkRun(options: ForkRunOptions): AsyncGenerator<ForkEvent> {
  const { vm, task, record, step, signal } = options;
  const reason = unforkableReason(record, task, step);
  if (reason || !task) {
    yield { type: "unforkable", reason: reason ?? "The run cannot be forked." };
    return;
  }
  const started = Date.now();
  const all = replaySteps(record).steps;
  const calls = all.filter((call) => call.step <= step);
  const operations = new StoppableOperations(vm, signal);
  const track = <T>(operation: Promise<T>) => operations.track(operation);
  try {
    yield { type: "readying" };
    const ready = await track(readyForReplay(vm, task, options));
    yield { type: "ready", ...ready };
    const baseline = await track(takeIntegrityBaseline(vm));
    const replayStarted = Date.now();
    const compared = yield* replayCalls(
      vm,
      calls,
      record.limits.commandSeconds,
      operations,
      signal,
    );
    const differences = compared.filter((c) => c.difference === "outcome");
    stopIfAborted(signal);
    const done = Date.now();
    const fork: ForkPoint = {
      origin: {
        runId: record.id,
        step,
        ...(task.folderHash !== undefined && { taskHash: task.folderHash }),
      },
      taskId: task.meta.id,
      baseline,
      history: forkBrief(all, step),
      differences,
      readyMs: replayStarted - started,
      replayMs: done - replayStarted,
      durationMs: done - started,
    };
    yield { type: "forked", fork };
  } catch (error) {
    if (!(error instanceof TaskStoppedError)) throw error;
    await operations.wipe();
    yield { type: "stopped" };
  }
}
