// Runs one task for two agents at once, each on its own VM, optionally held in step until they first disagree; records both runs and the comparison linking them.
import type { AgentEvent } from "../agent/loop";
import type { LlmClient } from "../agent/llm";
import { buildComparison } from "../analysis/comparison";
import type { ComparisonRecord } from "../domain/comparison";
import type { RunLimits, RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { recordRun, type TaskRunOptions } from "../tasks/agent-run";
import type { Vm } from "../vm/vm";
import { CompareGate, type GateQuestion, type GateDecision, type Side } from "./compare-gate";

/** One side of a comparison: its VM and its model. */
export interface CompareSide {
  vm: Vm;
  client: LlmClient;
}

export interface CompareRunOptions {
  task: TaskBundle;
  limits: RunLimits;
  left: CompareSide;
  right: CompareSide;
  /** Runs one task on one VM as one event stream (runTaskWithAgent, or a stand-in in tests). */
  runTask: (options: TaskRunOptions) => AsyncIterable<AgentEvent>;
  /** What else each run is given (prices, secrets, stop-on-warning...), as for a single run. */
  runOptions: Omit<TaskRunOptions, "vm" | "task" | "client" | "limits" | "signal">;
  /** When set, both are held before their first diverging call and the person is asked. */
  askAtDisagreement?: (question: GateQuestion) => Promise<GateDecision>;
  /** Each event of each run as it happens (for the page). */
  onEvent?: (side: Side, event: AgentEvent) => void;
  newId: () => string;
  now: () => Date;
  /** Stops both runs. */
  signal?: AbortSignal;
}

export interface CompareResult {
  comparison: ComparisonRecord;
  left: RunRecord;
  right: RunRecord;
}

/**
 * Runs both sides at once and waits for both. NOTE: each run is an ordinary run (its own VM, its own
 * limits and grade); the two only meet at the gate, which holds a turn's calls, never a VM.
 */
export async function runComparison(options: CompareRunOptions): Promise<CompareResult> {
  const comparisonId = options.newId();
  const createdAt = options.now();
  const stops = { left: new AbortController(), right: new AbortController() };
  const stopBoth = () => {
    stops.left.abort(new Error("stopped"));
    stops.right.abort(new Error("stopped"));
  };
  if (options.signal?.aborted) stopBoth();
  options.signal?.addEventListener("abort", stopBoth, { once: true });
  const ask = options.askAtDisagreement;
  const gate = ask
    ? new CompareGate({ ask, stop: (side) => stops[side].abort(new Error("stopped")) })
    : null;

  // NOTE: with a task-state cache, the right side starts once the left has readied the task (and
  // saved its state): it then restores in a second instead of setting the task up again beside it.
  let leftReadied: () => void = () => undefined;
  const leftReady = new Promise<void>((resolve) => (leftReadied = resolve));
  const runSide = async (side: Side): Promise<RunRecord> => {
    const { vm, client } = options[side];
    const events: AgentEvent[] = [];
    if (side === "right" && options.runOptions.stateCache) await leftReady;
    try {
      for await (const event of options.runTask({
        ...options.runOptions,
        vm,
        task: options.task,
        client: gate ? gate.wrap(side, client) : client,
        limits: options.limits,
        signal: stops[side].signal,
      })) {
        events.push(event);
        if (side === "left" && event.type === "setup") leftReadied();
        options.onEvent?.(side, event);
      }
    } finally {
      if (side === "left") leftReadied();
      gate?.end();
    }
    const record = recordRun(
      options.newId(),
      createdAt,
      options.task,
      client,
      options.limits,
      events,
    );
    return { ...record, comparison: { id: comparisonId, side } };
  };

  try {
    const [left, right] = await Promise.all([runSide("left"), runSide("right")]);
    const pause = gate && {
      ...(gate.question && { step: gate.question.step }),
      ...(gate.decision && { decision: gate.decision }),
    };
    const comparison = buildComparison(comparisonId, createdAt, left, right, pause ?? undefined);
    return { comparison, left, right };
  } finally {
    options.signal?.removeEventListener("abort", stopBoth);
  }
}
