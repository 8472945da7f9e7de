// Verifying a saved or shared run in the page: one at a time on the page's VM, its progress and report, Stop, and the verifications kept per run.
import { createStore, type StoreApi } from "zustand/vanilla";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import {
  summarizeReport,
  type StepComparison,
  type VerificationSummary,
  type VerifyReport,
} from "../domain/verification";
import type { ReadyTaskOptions } from "../tasks/task-state";
import type { VerifyEvent, VerifyRunOptions } from "../tasks/verify-run";
import type { Vm } from "../vm/vm";

/** "stopping": Stop was pressed, the step in flight ends and Linux is reset. */
export type VerifyPhase = "idle" | "verifying" | "stopping" | "done";

export function verifyIsBusy(phase: VerifyPhase): boolean {
  return phase === "verifying" || phase === "stopping";
}

/** Where a verification stands, for its progress line. */
export type VerifyProgress =
  | { stage: "readying" }
  | { stage: "replaying"; index: number; total: number; command: string }
  | { stage: "grading" };

export interface VerifyServices {
  vm(): Vm | undefined;
  /** Why the VM cannot be used now (an agent run or a suite is using it), or undefined when it can. */
  vmBusy(): string | undefined;
  verifyRun(options: VerifyRunOptions): AsyncIterable<VerifyEvent>;
  /** Where task states after setup are kept, when they are (as a run readies its task). */
  stateCache?(): ReadyTaskOptions | undefined;
  /** Where verifications are kept beside the runs (IndexedDB); undefined when the browser offers none. */
  repository?: {
    saveVerification(summary: VerificationSummary): Promise<void>;
    listVerifications(): Promise<VerificationSummary[]>;
  };
  now(): Date;
}

export interface VerifyState {
  phase: VerifyPhase;
  /** The run being verified, or last verified in this tab. */
  runId: string | undefined;
  progress: VerifyProgress | undefined;
  /** The steps compared so far. */
  steps: StepComparison[];
  report: VerifyReport | undefined;
  /** Why it did not verify: refused, the run cannot be verified here, it was stopped, or it failed. */
  error: string | undefined;
  /** The last verification of each run in this browser, by run id. */
  results: Record<string, VerificationSummary>;
  /** Verifies `record` against `task`; resolves with the report, or undefined (`error` says why). */
  verify(
    record: RunRecord,
    task: TaskBundle | undefined,
    options?: { taskMismatch?: string },
  ): Promise<VerifyReport | undefined>;
  stop(): void;
  /** Reads the kept verifications. */
  load(): Promise<void>;
}

export const STOPPED_MESSAGE = "Verification stopped; Linux was reset.";

export function createVerifyStore(services: VerifyServices): StoreApi<VerifyState> {
  let controller: AbortController | undefined;
  return createStore<VerifyState>()((set, get) => {
    const keep = async (summary: VerificationSummary) => {
      set((s) => ({ results: { ...s.results, [summary.runId]: summary } }));
      try {
        await services.repository?.saveVerification(summary);
      } catch (error) {
        set({
          error: `The result is shown but could not be kept in this browser: ${(error as Error).message}`,
        });
      }
    };
    const onEvent = (event: VerifyEvent) => {
      switch (event.type) {
        case "readying":
          return set({ progress: { stage: "readying" } });
        case "step-started":
          return set({ progress: { stage: "replaying", ...event } });
        case "step":
          return set((s) => ({ steps: [...s.steps, event.comparison] }));
        case "grading":
          return set({ progress: { stage: "grading" } });
        case "unverifiable":
          return set({ error: event.reason });
        case "stopped":
          return set({ error: STOPPED_MESSAGE });
        default:
          return undefined;
      }
    };
    return {
      phase: "idle",
      runId: undefined,
      progress: undefined,
      steps: [],
      report: undefined,
      error: undefined,
      results: {},
      async load() {
        if (!services.repository) return;
        try {
          const kept = await services.repository.listVerifications();
          set((s) => ({
            results: { ...Object.fromEntries(kept.map((v) => [v.runId, v])), ...s.results },
          }));
        } catch {
          // NOTE: the marks are a help, not the record: without storage, this tab's results still show.
        }
      },
      async verify(record, task, options = {}) {
        if (verifyIsBusy(get().phase)) return undefined;
        const fresh = { runId: record.id, progress: undefined, steps: [], report: undefined };
        const refuse = (error: string) => {
          set({ ...fresh, phase: "done", error });
          return undefined;
        };
        const busy = services.vmBusy();
        if (busy) return refuse(busy);
        const vm = services.vm();
        if (!vm) return refuse("Linux is not running yet: wait for it to start, then verify.");
        if (options.taskMismatch) return refuse(options.taskMismatch);
        const run = new AbortController();
        controller = run;
        set({ ...fresh, phase: "verifying", error: undefined });
        const stateCache = services.stateCache?.();
        let report: VerifyReport | undefined;
        try {
          for await (const event of services.verifyRun({
            vm,
            task,
            record,
            signal: run.signal,
            ...(stateCache && { stateCache }),
          })) {
            onEvent(event);
            if (event.type === "report") report = event.report;
          }
          set({ phase: "done", progress: undefined, report });
          if (report) await keep(summarizeReport(record.id, report, services.now()));
          return report;
        } catch (error) {
          set({
            phase: "done",
            progress: undefined,
            error: `The verification could not go on: ${(error as Error).message}`,
          });
          return undefined;
        } finally {
          controller = undefined;
        }
      },
      stop() {
        if (get().phase !== "verifying") return;
        set({ phase: "stopping" });
        controller?.abort();
      },
    };
  });
}
