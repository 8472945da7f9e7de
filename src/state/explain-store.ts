// Finding where a failed run went wrong in the page: one at a time on the page's VM, its progress and report, Stop, and the explanations kept per run.
import { createStore, type StoreApi } from "zustand/vanilla";
import { mayChangeMachine } from "../domain/shell/read-only";
import type { ExplainProbe, ExplainReport } from "../domain/explanation";
import type { KeptExplanation } from "../domain/kept-explanation";
import type { RunRecord } from "../domain/run";
import type { CheckLine, TaskBundle } from "../domain/task";
import type { ExplainEvent, ExplainRunOptions } from "../tasks/explain-run";
import type { ReadyTaskOptions } from "../tasks/task-state";
import type { Vm } from "../vm/vm";

/** "stopping": Stop was pressed, the operation in flight ends and Linux is reset. */
export type ExplainPhase = "idle" | "explaining" | "stopping" | "done";

export function explainIsBusy(phase: ExplainPhase): boolean {
  return phase === "explaining" || phase === "stopping";
}

/** Where an explanation stands, for its progress bar. */
export type ExplainProgress =
  | { stage: "readying" }
  | {
      stage: "probing";
      /** 1-based; of about `estimatedTotal`. */
      index: number;
      estimatedTotal: number;
      afterStep: number;
      kind: ExplainProbe["kind"];
    };

export interface ExplainServices {
  vm(): Vm | undefined;
  /** Why the VM cannot be used now (an agent run, a suite or a verification is using it), or undefined. */
  vmBusy(): string | undefined;
  explainRun(options: ExplainRunOptions): AsyncIterable<ExplainEvent>;
  /** Where task states after setup are kept, when they are (as a run readies its task). */
  stateCache?(): ReadyTaskOptions | undefined;
  /** Where explanations are kept beside the runs (IndexedDB); undefined when the browser offers none. */
  repository?: {
    saveExplanation(explanation: KeptExplanation): Promise<void>;
    listExplanations(): Promise<KeptExplanation[]>;
  };
  now(): Date;
}

export interface ExplainState {
  phase: ExplainPhase;
  /** The run being explained, or last explained in this tab. */
  runId: string | undefined;
  progress: ExplainProgress | undefined;
  /** The probes done so far. */
  probes: ExplainProbe[];
  report: ExplainReport | undefined;
  /** Why it did not explain: refused, the run cannot be explained here, it was stopped, or it failed. */
  error: string | undefined;
  /** The last explanation of each run in this browser, by run id. */
  results: Record<string, KeptExplanation>;
  /** Explains `record` against `task`; resolves with the report, or undefined (`error` says why). */
  explain(
    record: RunRecord,
    task: TaskBundle | undefined,
    options?: { taskMismatch?: string },
  ): Promise<ExplainReport | undefined>;
  stop(): void;
  /** Reads the kept explanations. */
  load(): Promise<void>;
}

export const EXPLAIN_STOPPED_MESSAGE = "Stopped; Linux was reset.";

export function createExplainStore(services: ExplainServices): StoreApi<ExplainState> {
  let controller: AbortController | undefined;
  return createStore<ExplainState>()((set, get) => {
    const keep = async (explanation: KeptExplanation) => {
      set((s) => ({ results: { ...s.results, [explanation.runId]: explanation } }));
      try {
        await services.repository?.saveExplanation(explanation);
      } catch (error) {
        set({
          error: `The result is shown but could not be kept in this browser: ${(error as Error).message}`,
        });
      }
    };
    const onEvent = (event: ExplainEvent) => {
      switch (event.type) {
        case "readying":
          return set({ progress: { stage: "readying" } });
        case "probe-started": {
          const { index, estimatedTotal, afterStep, kind } = event;
          return set({ progress: { stage: "probing", index, estimatedTotal, afterStep, kind } });
        }
        case "probe":
          return set((s) => ({ probes: [...s.probes, event.probe] }));
        case "unexplainable":
          return set({ error: event.reason });
        case "stopped":
          return set({ error: EXPLAIN_STOPPED_MESSAGE });
        default:
          return undefined;
      }
    };
    const run = async (record: RunRecord, task: TaskBundle | undefined, vm: Vm) => {
      const stop = new AbortController();
      controller = stop;
      set({ phase: "explaining", error: undefined });
      const stateCache = services.stateCache?.();
      let report: ExplainReport | undefined;
      try {
        for await (const event of services.explainRun({
          vm,
          task,
          record,
          signal: stop.signal,
          mayChange: mayChangeMachine,
          ...(stateCache && { stateCache }),
        })) {
          onEvent(event);
          if (event.type === "report") report = event.report;
        }
        set({ phase: "done", progress: undefined, report });
        if (report)
          await keep({ runId: record.id, explainedAt: services.now().toISOString(), report });
        return report;
      } catch (error) {
        set({
          phase: "done",
          progress: undefined,
          error: `Finding where it went wrong could not go on: ${(error as Error).message}`,
        });
        return undefined;
      } finally {
        controller = undefined;
      }
    };
    return {
      phase: "idle",
      runId: undefined,
      progress: undefined,
      probes: [],
      report: undefined,
      error: undefined,
      results: {},
      async load() {
        if (!services.repository) return;
        try {
          const kept = await services.repository.listExplanations();
          set((s) => ({
            results: { ...Object.fromEntries(kept.map((e) => [e.runId, e])), ...s.results },
          }));
        } catch {
          // NOTE: the marks are a help, not the record: without storage, this tab's results still show.
        }
      },
      async explain(record, task, options = {}) {
        if (explainIsBusy(get().phase)) return undefined;
        const fresh = { runId: record.id, progress: undefined, probes: [], report: undefined };
        const refuse = (error: string) => {
          set({ ...fresh, phase: "done", error });
          return undefined;
        };
        const busy = services.vmBusy();
        if (busy) return refuse(busy);
        const vm = services.vm();
        if (!vm) return refuse("Linux is not running yet: wait for it to start, then try again.");
        if (options.taskMismatch) return refuse(options.taskMismatch);
        set(fresh);
        return run(record, task, vm);
      },
      stop() {
        if (get().phase !== "explaining") return;
        set({ phase: "stopping" });
        controller?.abort();
      },
    };
  });
}

/** A mark on one step of the step list: where the damage was done, or where the grader came closest. */
export interface StepMark {
  kind: "damage" | "best";
  /** A short sentence for a person. */
  text: string;
}

/** The grader's checks on the readied task, before any step, when the explanation measured them. */
export function readyChecksOf(report: ExplainReport | undefined): CheckLine[] | undefined {
  return report?.probes.find((p) => p.afterStep === 0 && p.kind === "checks")?.checks;
}

/** The marks an explanation puts on a run's steps, by step number (a mark on 0 is the readied task's). */
export function explanationMarks(report: ExplainReport | undefined): Record<number, StepMark[]> {
  const marks: Record<number, StepMark[]> = {};
  const add = (step: number, mark: StepMark) => (marks[step] ??= []).push(mark);
  if (!report) return marks;
  if (report.damageStep !== null)
    add(report.damageStep, {
      kind: "damage",
      text: "Went wrong here: after this step the reference solution no longer fixes the machine",
    });
  const best = report.bestStep;
  if (best && best.afterStep > 0)
    add(best.afterStep, {
      kind: "best",
      text: `Closest here: ${best.checksPassed} of ${best.checksTotal} checks pass after this step`,
    });
  return marks;
}
