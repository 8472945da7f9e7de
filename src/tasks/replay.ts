// Replaying a recorded run's commands on a machine: the task readied as a run readies it, then each recorded call played with the time it had (used by verify, explain and fork).
import { runTool } from "../agent/tools";
import type { ToolOutcome } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import {
  compareStep,
  describeInput,
  type ReplayStep,
  type StepComparison,
} from "../domain/verification";
import type { Vm } from "../vm/vm";
import { stopTaskCloud } from "./cloud";
import { setUpTask } from "./runner";
import { stopIfAborted, untilStopped } from "./setup-stop";
import { readyTask, type ReadyTaskOptions } from "./task-state";

export interface ReplayReadyOptions {
  /** Where states after setup are kept (as a run readies its task); without it the task is set up afresh. */
  stateCache?: ReadyTaskOptions;
  signal?: AbortSignal;
}

/**
 * How many times its recorded limit a replayed command that finished when recorded may take: the
 * viewer's machine may be slower than the recorder's, and a command cut short by that would leave
 * another machine than the recorded one (a time-out is then no evidence against the run).
 */
export const REPLAY_TIME_ALLOWANCE = 3;

/**
 * Plays one recorded call. NOTE: a command that timed out when recorded gets the time it had then, to
 * be cut alike; one that finished gets REPLAY_TIME_ALLOWANCE times its limit, to finish alike.
 */
export function replayStep(
  vm: Vm,
  replay: ReplayStep,
  commandSeconds: number,
  signal: AbortSignal | undefined,
): Promise<ToolOutcome> {
  const { input, recorded } = replay;
  if (input.tool !== "run_command") return runTool(vm, input, commandSeconds, signal);
  if (recorded.kind === "command" && recorded.timedOut) {
    const seconds = Math.max(1, Math.round(recorded.durationMs / 1000));
    return runTool(vm, { ...input, timeoutSeconds: seconds }, seconds, signal);
  }
  const asked = Math.min(input.timeoutSeconds ?? commandSeconds, commandSeconds);
  const seconds = asked * REPLAY_TIME_ALLOWANCE;
  return runTool(vm, { ...input, timeoutSeconds: seconds }, seconds, signal);
}

/** Readies the task as a run does: restored from its saved state, or reset and set up. */
export async function readyForReplay(
  vm: Vm,
  task: TaskBundle,
  { stateCache, signal }: ReplayReadyOptions,
): Promise<{ durationMs: number; fromSavedState: boolean; note?: string }> {
  stopIfAborted(signal);
  if (stateCache) {
    const ready = await readyTask(vm, task, { ...stateCache, ...(signal && { signal }) });
    return {
      durationMs: ready.readyMs,
      fromSavedState: ready.source !== "setup",
      ...(ready.cacheError ? { note: ready.cacheError } : {}),
    };
  }
  const started = Date.now();
  await vm.reset();
  await setUpTask(vm, task, { ...(signal && { signal }) });
  return { durationMs: Date.now() - started, fromSavedState: false };
}

/**
 * The VM operations of a replay that a stop cuts short (verify, explain, fork). NOTE: each is tracked so
 * that after a stop the one in flight ends first (a command cancelled, a restore or a grade finishing)
 * and the reset that wipes the half-replayed machine never overlaps it.
 */
export class StoppableOperations {
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly vm: Vm,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Waits for `operation`, or throws TaskStoppedError as soon as the signal aborts. */
  track<T>(operation: Promise<T>): Promise<T> {
    this.inFlight = operation;
    return untilStopped(operation, this.signal);
  }

  /** After a stop: lets the operation in flight end, then resets the machine (and stops the task's cloud). */
  async wipe(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    stopTaskCloud(this.vm);
    await this.vm.reset();
  }
}

/** What replaying calls one after another reports: a call begun, and how it compared with its recording. */
export type ReplayProgress =
  | { type: "step-started"; index: number; total: number; step: number; command: string }
  | { type: "step"; index: number; total: number; comparison: StepComparison };

/** Plays `calls` in order (verify, fork), each compared with its recording; returns the comparisons. */
export async function* replayCalls(
  vm: Vm,
  calls: ReplayStep[],
  commandSeconds: number,
  operations: StoppableOperations,
  signal: AbortSignal | undefined,
): AsyncGenerator<ReplayProgress, StepComparison[]> {
  const compared: StepComparison[] = [];
  for (const [i, call] of calls.entries()) {
    const index = i + 1;
    const total = calls.length;
    yield {
      type: "step-started",
      index,
      total,
      step: call.step,
      command: describeInput(call.input),
    };
    stopIfAborted(signal);
    const now = await operations.track(replayStep(vm, call, commandSeconds, signal));
    const comparison = compareStep(call, now, commandSeconds);
    compared.push(comparison);
    yield { type: "step", index, total, comparison };
  }
  return compared;
}

/**
 * Reads a replay's events (verify, explain, fork) to their end, telling `onEvent` each as it comes;
 * returns the last one (a stop's when there was none).
 */
export async function lastEvent<E>(
  events: AsyncIterable<E>,
  onEvent?: (event: E) => void,
): Promise<E | { type: "stopped" }> {
  let last: E | { type: "stopped" } = { type: "stopped" };
  for await (const event of events) {
    onEvent?.(event);
    last = event;
  }
  return last;
}
