// Verifies a recorded run: readies its task in a fresh VM, replays the recorded commands and file writes, grades it again and compares; as one event stream.
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import {
  makeReport,
  recordedGrade,
  replaySteps,
  unverifiableReason,
  type VerifyReport,
} from "../domain/verification";
import type { Vm } from "../vm/vm";
import { takeIntegrityBaseline } from "./grading/integrity";
import { readyForReplay, replayCalls, StoppableOperations, type ReplayProgress } from "./replay";
import { gradeTask } from "./runner";
import { TaskStoppedError, stopIfAborted } from "./setup-stop";
import type { ReadyTaskOptions } from "./task-state";

export type VerifyEvent =
  /** The run cannot be verified here (no grade, another task): nothing was done to the VM. */
  | { type: "unverifiable"; reason: string }
  | { type: "readying" }
  | { type: "ready"; durationMs: number; fromSavedState: boolean; note?: string }
  | ReplayProgress
  | { type: "grading" }
  | { type: "report"; report: VerifyReport }
  /** Stopped through the signal: the VM was reset, nothing is reported. */
  | { type: "stopped" };

export interface VerifyRunOptions {
  vm: Vm;
  /** This OpsLab's task of the run; undefined when it has none of that id. */
  task: TaskBundle | undefined;
  record: RunRecord;
  /** Where states after setup are kept (as a run readies its task); without it the task is set up afresh. */
  stateCache?: ReadyTaskOptions;
  /** Stops the verification: the command in flight is cancelled and the VM reset. */
  signal?: AbortSignal;
}

/**
 * Replays `record` on a freshly readied task and grades it as a run is graded (gradeTask: the agent's
 * processes stopped, the integrity checks around the grader); then reports whether the recorded verdict
 * reproduces, check by check and step by step. NOTE: it re-runs the agent's commands, never the model,
 * so the replay follows the recording even where the machine now answers otherwise.
 */
export async function* verifyRun(options: VerifyRunOptions): AsyncGenerator<VerifyEvent> {
  const { vm, task, record, signal } = options;
  const reason = unverifiableReason(record, task);
  const recorded = recordedGrade(record);
  if (reason || !task || !recorded) {
    yield { type: "unverifiable", reason: reason ?? "The run cannot be verified." };
    return;
  }
  const started = Date.now();
  const { steps, skipped } = replaySteps(record);
  const operations = new StoppableOperations(vm, signal);
  const track = <T>(operation: Promise<T>) => operations.track(operation);
  try {
    yield { type: "readying" };
    const ready = await track(readyForReplay(vm, task, options));
    yield { type: "ready", ...ready };
    // NOTE: taken before the first replayed step, as a run takes it before the agent's first command.
    const baseline = await track(takeIntegrityBaseline(vm));
    const replayStarted = Date.now();
    /** Readying the task and its integrity baseline. */
    const setupMs = replayStarted - started;
    const compared = yield* replayCalls(
      vm,
      steps,
      record.limits.commandSeconds,
      operations,
      signal,
    );
    const replayMs = Date.now() - replayStarted;
    stopIfAborted(signal);
    yield { type: "grading" };
    const gradeStarted = Date.now();
    const grade = await track(gradeTask(vm, task, { baseline }));
    const gradeMs = Date.now() - gradeStarted;
    const report = makeReport({
      recorded,
      now: grade,
      steps: compared,
      skipped,
      setupMs,
      replayMs,
      gradeMs,
      durationMs: Date.now() - started,
    });
    yield { type: "report", report };
  } catch (error) {
    if (!(error instanceof TaskStoppedError)) throw error;
    await operations.wipe();
    yield { type: "stopped" };
  }
}
