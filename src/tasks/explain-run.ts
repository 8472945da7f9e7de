// Finds where a failed run went wrong by running things: its recorded calls replayed on the readied task up to a step, then the reference solution (does it still fix the machine?) or the grader alone (how close was the agent?); as one event stream.
import type { ExplainProbe, ExplainReport } from "../domain/explanation";
import type { RunRecord } from "../domain/run";
import type { CheckLine, Grade, TaskBundle } from "../domain/task";
import {
  compareStep,
  replaySteps,
  unverifiableReason,
  type ReplayStep,
} from "../domain/verification";
import type { Vm } from "../vm/vm";
import { TaskRunError } from "./errors";
import { takeIntegrityBaseline, type IntegrityBaseline } from "./grading/integrity";
import { lastEvent, readyForReplay, replayStep, StoppableOperations } from "./replay";
import { gradeTask, runSolution } from "./runner";
import { TaskStoppedError, stopIfAborted } from "./setup-stop";
import type { ReadyTaskOptions } from "./task-state";

export type ExplainEvent =
  /** The run cannot be explained here (no grade, another task): nothing was done to the VM. */
  | { type: "unexplainable"; reason: string }
  | { type: "readying" }
  | { type: "ready"; durationMs: number; fromSavedState: boolean; note?: string }
  | {
      type: "probe-started";
      afterStep: number;
      kind: ExplainProbe["kind"];
      /** 1-based; estimatedTotal may grow or shrink as the bisection learns. */
      index: number;
      estimatedTotal: number;
    }
  | { type: "probe"; index: number; estimatedTotal: number; probe: ExplainProbe }
  | { type: "report"; report: ExplainReport }
  /** Stopped through the signal: the VM was reset, nothing is reported. */
  | { type: "stopped" };

/**
 * How a probe gets the machine as it was after k calls: "snapshot" restores a state saved on the way
 * (or the nearest earlier one) and replays the rest; "replay" readies the task again and replays from
 * the first call. NOTE: snapshot is the default (a restore takes under a second where replaying 20
 * calls takes 20 s and more, see README "Where it went wrong"); cloud tasks always replay, since their
 * control plane lives on the host, which a machine state does not hold.
 */
export type ExplainStrategy = "snapshot" | "replay";

/** Machine states kept for later probes besides the readied task's: each is the whole machine (~34 MB). */
export const DEFAULT_KEPT_STATES = 4;

export interface ExplainRunOptions {
  vm: Vm;
  /** This OpsLab's task of the run; undefined when it has none of that id. */
  task: TaskBundle | undefined;
  record: RunRecord;
  /** Where states after setup are kept (as a run readies its task); without it the task is set up afresh. */
  stateCache?: ReadyTaskOptions;
  /** Stops it: the command in flight is cancelled and the VM reset. */
  signal?: AbortSignal;
  /**
   * Whether a recorded call may change the machine (src/domain/shell/read-only.ts says so for a command line);
   * the steps whose calls all cannot are not probed (the machine after them is the one before). Default: every call may.
   */
  mayChange?: (input: ReplayStep["input"]) => boolean;
  strategy?: ExplainStrategy;
  /** Machine states kept for later probes (snapshot strategy); DEFAULT_KEPT_STATES when absent. */
  keptStates?: number;
  /**
   * Whether to seek the step where the grader's checks were at their best (a grader probe at every
   * point, step 0 included); true when absent. False seeks the damage step alone (bench:explain-corpus).
   */
  seekBest?: boolean;
}

/** A place a probe can stop at: after `calls` replayed calls, which end the run's step `afterStep`. */
export interface ProbePoint {
  calls: number;
  afterStep: number;
}

/**
 * Where probes may stop: before any call, and after each run step (all its calls) that may change the
 * machine. NOTE: a step that cannot change it leaves the machine the previous point's, so neither the
 * reference nor the grader can tell them apart; the damage is always at a point.
 */
export function probePoints(
  steps: ReplayStep[],
  mayChange: (input: ReplayStep["input"]) => boolean = () => true,
): ProbePoint[] {
  const points: ProbePoint[] = [{ calls: 0, afterStep: 0 }];
  let changes = false;
  for (const [i, replay] of steps.entries()) {
    changes ||= mayChange(replay.input);
    const endsStep = steps[i + 1]?.step !== replay.step;
    if (endsStep && changes) points.push({ calls: i + 1, afterStep: replay.step });
    if (endsStep) changes = false;
  }
  return points;
}

/**
 * The point indices a bisection over points 0..last (0 fixes, last does not) may visit first, level by
 * level, as many as `budget`: the states worth keeping on the way.
 */
export function likelyBisectionPoints(last: number, budget: number): Set<number> {
  const chosen = new Set<number>();
  if (budget <= 0 || last <= 0) return chosen;
  chosen.add(last);
  let intervals: [number, number][] = [[0, last]];
  while (intervals.length > 0 && chosen.size < budget) {
    const next: [number, number][] = [];
    for (const [lo, hi] of intervals) {
      if (hi - lo <= 1) continue;
      const mid = Math.floor((lo + hi) / 2);
      if (chosen.size >= budget) break;
      chosen.add(mid);
      next.push([lo, mid], [mid, hi]);
    }
    intervals = next;
  }
  return chosen;
}

/** The earliest point where the most checks passed, or null when no checks were seen. */
export function bestOf(probes: ExplainProbe[]): ExplainReport["bestStep"] {
  let best: ExplainReport["bestStep"] = null;
  for (const probe of probes) {
    if (probe.kind !== "checks" || !probe.checks || probe.checks.length === 0) continue;
    const passed = probe.checks.filter((c) => c.passed).length;
    if (!best || passed > best.checksPassed)
      best = { afterStep: probe.afterStep, checksPassed: passed, checksTotal: probe.checks.length };
  }
  return best;
}

/** Bisection probes between `points` + 1 points after the two reference probes at their ends, at most. */
const bisectionProbes = (points: number) => (points > 1 ? Math.ceil(Math.log2(points)) : 0);

/** The live machine, the states kept of it, and how a probe gets to the machine after k calls. */
class Prober {
  /** The live machine is as it was after this many calls (undefined: a grade or the reference changed it). */
  private position: number | undefined;
  /** Saved states by calls replayed; 0 is the readied task (snapshot strategy). */
  private readonly kept = new Map<number, ArrayBuffer>();
  /** The last state saved before a grade, to carry on from (snapshot strategy). */
  private latest: { calls: number; state: ArrayBuffer } | undefined;
  private baseline: IntegrityBaseline | undefined;
  /** Steps whose replay ended otherwise than when recorded (exit code, time-out). */
  readonly differed = new Set<number>();
  /** Every VM operation of the probes, so that a stop can wipe the machine once the one in flight ends. */
  readonly operations: StoppableOperations;

  constructor(
    private readonly options: ExplainRunOptions & { task: TaskBundle },
    private readonly steps: ReplayStep[],
    readonly strategy: ExplainStrategy,
    private readonly keep: Set<number>,
  ) {
    this.operations = new StoppableOperations(options.vm, options.signal);
  }

  track<T>(operation: Promise<T>): Promise<T> {
    return this.operations.track(operation);
  }

  /** Readies the task (and, snapshot strategy, saves it as the start of every probe). */
  async ready() {
    const { vm, task, signal, stateCache } = this.options;
    const ready = await this.track(
      readyForReplay(vm, task, { ...(stateCache && { stateCache }), ...(signal && { signal }) }),
    );
    // NOTE: taken before the first replayed call, as a run takes it before the agent's first command.
    this.baseline = await this.track(takeIntegrityBaseline(vm));
    if (this.strategy === "snapshot") this.kept.set(0, await this.track(vm.saveState()));
    this.position = 0;
    return ready;
  }

  /** Puts the machine as it was after `calls` calls: from the live machine, a kept state, or afresh. */
  async at(calls: number): Promise<void> {
    const { vm, record, signal } = this.options;
    if (this.position === undefined || this.position > calls) {
      const start = this.startFor(calls);
      if (start) {
        await this.track(vm.restoreState(start.state));
        this.position = start.calls;
      } else await this.ready();
    }
    for (let i = this.position ?? 0; i < calls; i++) {
      stopIfAborted(signal);
      const replay = this.steps[i]!;
      const now = await this.track(replayStep(vm, replay, record.limits.commandSeconds, signal));
      if (compareStep(replay, now, record.limits.commandSeconds).difference === "outcome")
        this.differed.add(replay.step);
      this.position = i + 1;
      if (this.keep.has(i + 1) && !this.kept.has(i + 1))
        this.kept.set(i + 1, await this.track(vm.saveState()));
    }
  }

  /** The kept state nearest below or at `calls`, unless the live machine is nearer. */
  private startFor(calls: number): { calls: number; state: ArrayBuffer } | undefined {
    if (this.strategy === "replay") return undefined;
    let best: { calls: number; state: ArrayBuffer } | undefined;
    for (const [at, state] of this.kept)
      if (at <= calls && (!best || at > best.calls)) best = { calls: at, state };
    if (this.latest && this.latest.calls <= calls && (!best || this.latest.calls > best.calls))
      best = this.latest;
    return best;
  }

  /** Grades the machine after `calls` calls as a run is graded; the machine carries on from there after. */
  async checks(calls: number): Promise<CheckLine[]> {
    await this.at(calls);
    if (this.strategy === "snapshot" && !this.kept.has(calls))
      this.latest = { calls, state: await this.track(this.options.vm.saveState()) };
    return (await this.grade()).checks;
  }

  /** The reference solution after `calls` calls, then the grader: whether it passes. */
  async referenceFixes(calls: number): Promise<boolean> {
    await this.at(calls);
    const { vm, task, signal } = this.options;
    try {
      this.position = undefined;
      await this.track(runSolution(vm, task, signal));
    } catch (error) {
      // The reference failing on this machine is its answer: it does not fix it.
      if (error instanceof TaskRunError) return false;
      throw error;
    }
    return (await this.grade()).passed;
  }

  private async grade(): Promise<Grade> {
    this.position = undefined;
    const { vm, task } = this.options;
    return this.track(gradeTask(vm, task, { ...(this.baseline && { baseline: this.baseline }) }));
  }
}

/** One probe's events and its result, counted. */
async function* probe(
  prober: Prober,
  point: ProbePoint,
  kind: ExplainProbe["kind"],
  counter: { index: number; estimatedTotal: number },
  probes: ExplainProbe[],
): AsyncGenerator<ExplainEvent, ExplainProbe> {
  counter.index++;
  const { index, estimatedTotal } = counter;
  yield { type: "probe-started", afterStep: point.afterStep, kind, index, estimatedTotal };
  const started = Date.now();
  const result: ExplainProbe =
    kind === "checks"
      ? {
          afterStep: point.afterStep,
          kind,
          checks: await prober.checks(point.calls),
          durationMs: 0,
        }
      : {
          afterStep: point.afterStep,
          kind,
          referenceFixes: await prober.referenceFixes(point.calls),
          durationMs: 0,
        };
  result.durationMs = Date.now() - started;
  probes.push(result);
  yield { type: "probe", index, estimatedTotal: counter.estimatedTotal, probe: result };
  return result;
}

/**
 * The probes in order: the grader at each point (bestStep, unless not sought); the reference after the
 * last step, which ends it when it still fixes the machine (no step did damage: the common case costs
 * one reference probe); else the reference on the readied task (that the task can be fixed at all) and
 * the bisection for damageStep. NOTE: the bisection assumes damage lasts (once the reference cannot fix
 * the machine, no later step makes it fixable again); it finds one point where the reference stops
 * fixing it, the first when that holds.
 */
async function* probeAll(
  prober: Prober,
  points: ProbePoint[],
  probes: ExplainProbe[],
  notes: string[],
  seekBest: boolean,
): AsyncGenerator<ExplainEvent, number | null> {
  const last = points.length - 1;
  const counter = {
    index: 0,
    estimatedTotal: (seekBest ? points.length : 0) + 1 + (last > 0 ? 1 + bisectionProbes(last) : 0),
  };
  if (seekBest) for (const point of points) yield* probe(prober, point, "checks", counter, probes);
  const atEnd = yield* probe(prober, points[last]!, "reference", counter, probes);
  if (atEnd.referenceFixes) return null;
  const fixesReadied =
    last === 0
      ? false
      : (yield* probe(prober, points[0]!, "reference", counter, probes)).referenceFixes;
  if (!fixesReadied) {
    notes.push(
      "the reference solution does not fix the task as readied here, so no step can be blamed",
    );
    return null;
  }
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    counter.estimatedTotal = counter.index + Math.ceil(Math.log2(hi - lo));
    const mid = Math.floor((lo + hi) / 2);
    const found = yield* probe(prober, points[mid]!, "reference", counter, probes);
    if (found.referenceFixes) lo = mid;
    else hi = mid;
  }
  return points[hi]!.afterStep;
}

/**
 * Replays `record` on its readied task a prefix at a time and reports the step after which the
 * reference solution no longer fixes the machine (damageStep) and the step after which the grader's
 * checks were at their best (bestStep). NOTE: like verify it re-runs the agent's commands, never the
 * model; a step whose effect depends on time or chance may do otherwise on replay (see the note).
 */
export async function* explainRun(options: ExplainRunOptions): AsyncGenerator<ExplainEvent> {
  const { task, record } = options;
  const reason = unverifiableReason(record, task);
  if (reason || !task) {
    yield { type: "unexplainable", reason: reason ?? "The run cannot be explained." };
    return;
  }
  const started = Date.now();
  const { steps } = replaySteps(record);
  const points = probePoints(steps, options.mayChange);
  const strategy = task.cloudJson !== undefined ? "replay" : (options.strategy ?? "snapshot");
  const budget = options.keptStates ?? DEFAULT_KEPT_STATES;
  const keep = new Set(
    [...likelyBisectionPoints(points.length - 1, budget)].map((i) => points[i]!.calls),
  );
  const prober = new Prober({ ...options, task }, steps, strategy, keep);
  try {
    yield { type: "readying" };
    yield { type: "ready", ...(await prober.ready()) };
    const probes: ExplainProbe[] = [];
    const notes: string[] = [];
    const damageStep = yield* probeAll(prober, points, probes, notes, options.seekBest !== false);
    if (prober.differed.size > 0)
      notes.push(
        `step ${[...prober.differed].join(", ")} ended otherwise on replay than when recorded (exit code or time-out), so the replayed machine may not be the run's`,
      );
    const report: ExplainReport = {
      damageStep,
      bestStep: bestOf(probes),
      probes,
      ...(notes.length > 0 && { note: notes.join("; ") }),
      durationMs: Date.now() - started,
    };
    yield { type: "report", report };
  } catch (error) {
    if (!(error instanceof TaskStoppedError)) throw error;
    await prober.operations.wipe();
    yield { type: "stopped" };
  }
}

/** Runs an explanation to its end and returns its last event (report, unexplainable or stopped). */
export async function explainToEnd(
  options: ExplainRunOptions,
  onEvent?: (event: ExplainEvent) => void,
): Promise<ExplainEvent> {
  return lastEvent(explainRun(options), onEvent);
}
