// Runs an agent on a task: a clean VM, fixtures and setup, the agent loop, then the grader; as one event stream.
import {
  summarizeEvents,
  RUN_SCHEMA_VERSION,
  type AgentInfo,
  type ForkOrigin,
  type RunEvent,
  type RunLimits,
  type RunRecord,
} from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { runAgent, type AgentEvent, type AgentRunOptions } from "../agent/loop";
import type { LlmClient } from "../agent/llm";
import type { Vm } from "../vm/vm";
import { cloudStateOf, stopTaskCloud } from "./cloud";
import type { ForkPoint } from "./fork-run";
import { takeIntegrityBaseline, type IntegrityBaseline } from "./grading/integrity";
import type { GradeProgress, ReadyProgress } from "../domain/grade-progress";
import { gradeTask, setUpTask } from "./runner";
import { TaskStoppedError, stopIfAborted, untilStopped } from "./setup-stop";
import { readyTask, type ReadyTaskOptions } from "./task-state";

/** The run's limits: the task's own, with the person's token and cost caps (0: none). */
export function limitsForTask(
  task: TaskBundle,
  caps: { maxTokens?: number; maxCostUsd?: number; maxSteps?: number } = {},
): RunLimits {
  const { limits } = task.meta;
  return {
    maxSteps: Math.min(caps.maxSteps ?? limits.agentSteps, limits.agentSteps),
    maxSeconds: limits.agentSeconds,
    maxTokens: caps.maxTokens ?? 0,
    maxCostUsd: caps.maxCostUsd ?? 0,
    commandSeconds: limits.commandSeconds,
  };
}

export interface TaskRunOptions extends Omit<
  AgentRunOptions,
  "instruction" | "limits" | "vm" | "client"
> {
  vm: Vm;
  task: TaskBundle;
  client: LlmClient;
  limits?: RunLimits;
  /** Where states after setup are kept: a retried task then restores instead of setting up. */
  stateCache?: ReadyTaskOptions;
  /**
   * Carry on from a fork (forkRun left the VM right after its step): the task is not readied again,
   * the fork's baseline is the integrity baseline, and the agent is told the earlier steps.
   */
  fork?: ForkPoint;
  /**
   * Told what grading does while a person waits (its stage, the check the grader runs). NOTE: not an
   * event: it is shown live and never kept, so the record and its replay stay as they were.
   */
  onGradingProgress?: (progress: GradeProgress) => void;
  /** Told what readying the task does while a person waits (shown live, never kept, like grading's). */
  onReadyProgress?: (progress: ReadyProgress) => void;
}

/**
 * Readies the task (restored from a saved state, or reset and set up), lets the agent work and grades the result. Never throws for the
 * agent's or the provider's failures (they are events); a setup failure throws TaskRunError. Stopped
 * during setup (`signal`), it ends at once as "stopped", ungraded, and leaves the VM reset. With `fork`,
 * the VM is taken as forkRun left it (no setup) and the agent is told the steps before it.
 */
export async function* runTaskWithAgent(options: TaskRunOptions): AsyncGenerator<AgentEvent> {
  const { vm, task, fork } = options;
  const baseline = fork ? fork.baseline : yield* readyOrStop(options);
  if (!baseline) return;
  if (fork) yield forkSetupEvent(fork);
  let reason: string | undefined;
  let lastAtMs = 0;
  for await (const event of runAgent({
    ...options,
    instruction: task.instruction,
    ...(fork && { history: fork.history }),
    limits: options.limits ?? limitsForTask(task),
  })) {
    if (event.type === "finished") reason = event.reason;
    lastAtMs = event.atMs;
    yield event;
  }
  // NOTE: a run that lost its VM cannot be graded; every other run is, even a stopped one.
  if (reason === "vm-error") return;
  const cloud = cloudStateOf(vm);
  const onProgress = options.onGradingProgress;
  const grade = await gradeTask(vm, task, { baseline, ...(onProgress && { onProgress }) });
  yield { type: "graded", atMs: lastAtMs + grade.durationMs, grade };
  if (cloud) yield { type: "cloud-state", atMs: lastAtMs + grade.durationMs, state: cloud };
}

/** A fork's "setup": the task was readied and the parent's steps replayed before the run began. */
function forkSetupEvent(fork: ForkPoint): AgentEvent {
  const { origin, differences } = fork;
  const differed =
    differences.length > 0
      ? `; ${differences.length} replayed call(s) ended otherwise than recorded (steps ${differences.map((d) => d.step).join(", ")})`
      : "";
  return {
    type: "setup",
    atMs: 0,
    durationMs: fork.durationMs,
    fromSavedState: false,
    note: `Forked after step ${origin.step} of run ${origin.runId}: the task readied and its calls replayed${differed}.`,
  };
}

/**
 * Readies the task and yields its setup event, then takes the integrity baseline; stopped meanwhile, it
 * yields "finished" (stopped), puts the VM back clean and returns undefined.
 */
async function* readyOrStop(
  options: TaskRunOptions,
): AsyncGenerator<AgentEvent, IntegrityBaseline | undefined> {
  const { vm, signal } = options;
  const setup = readyForAgent(options);
  try {
    yield await untilStopped(setup, signal);
  } catch (error) {
    if (!(error instanceof TaskStoppedError)) throw error;
    // Stopped while the task was readied: the run ends at once, then the VM is put back clean.
    yield { type: "finished", atMs: 0, reason: "stopped" };
    // NOTE: the step in flight ends first (a command is cancelled, a reset or restore finishes),
    // so the reset below never overlaps another; it also ends a command the VM did not cancel.
    await setup.catch(() => undefined);
    stopTaskCloud(vm);
    await vm.reset();
    return undefined;
  }
  // NOTE: before the agent's first command: what setup did is the task's, not the agent's.
  return takeIntegrityBaseline(vm);
}

/** Readies the task for the agent (restored from a saved state, or reset and set up); its setup event. */
async function readyForAgent(options: TaskRunOptions): Promise<AgentEvent> {
  const { vm, task, signal, onReadyProgress: onProgress } = options;
  stopIfAborted(signal);
  if (options.stateCache) {
    const ready = await readyTask(vm, task, {
      ...options.stateCache,
      ...(signal && { signal }),
      ...(onProgress && { onProgress }),
    });
    return {
      type: "setup",
      atMs: 0,
      durationMs: ready.readyMs,
      fromSavedState: ready.source !== "setup",
      ...(ready.source === "shipped" && { shippedBytes: ready.downloadedBytes ?? 0 }),
      ...(ready.cacheError ? { note: ready.cacheError } : {}),
    };
  }
  onProgress?.({ stage: "resetting" });
  await vm.reset();
  const durationMs = await setUpTask(vm, task, {
    ...(signal && { signal }),
    ...(onProgress && { onProgress }),
  });
  return { type: "setup", atMs: 0, durationMs, fromSavedState: false };
}

/** What a record keeps of the client: the model and how it was asked to work. */
type AgentOf = Pick<
  LlmClient,
  "provider" | "model" | "toolMode" | "reasoning" | "maxOutputTokensPerTurn"
>;

/** The run record's agent info of a client (reasoning and the output limit only when set). */
export function agentInfo(client: AgentOf): AgentInfo {
  const { provider, model, toolMode, reasoning, maxOutputTokensPerTurn } = client;
  return {
    provider,
    model,
    toolMode,
    ...(reasoning && { reasoning: { ...reasoning } }),
    ...(maxOutputTokensPerTurn && { maxOutputTokensPerTurn }),
  };
}

/** Gathers a finished stream into a stored run (text deltas are dropped: "reasoning" holds the text). */
export function recordRun(
  id: string,
  createdAt: Date,
  task: TaskBundle,
  client: AgentOf,
  limits: RunLimits,
  events: readonly AgentEvent[],
  forkedFrom?: ForkOrigin,
): RunRecord {
  const kept = events.filter((e): e is RunEvent => e.type !== "text-delta");
  const { id: taskId, title, domain, difficulty } = task.meta;
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id,
    createdAt: createdAt.toISOString(),
    task: { id: taskId, title, domain, difficulty },
    agent: agentInfo(client),
    limits,
    events: kept,
    outcome: summarizeEvents(kept),
    ...(forkedFrom && { forkedFrom }),
  };
}
