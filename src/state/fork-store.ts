// Forking a run in the page: the page's VM put right after a step of a run (progress, Stop), then held for the person's shell or an agent taking over.
import { createStore, type StoreApi } from "zustand/vanilla";
import { lastStep } from "../domain/fork";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import type { ForkEvent, ForkPoint, ForkRunOptions } from "../tasks/fork-run";
import type { ReadyTaskOptions } from "../tasks/task-state";
import type { Vm } from "../vm/vm";

export type { ForkPoint } from "../tasks/fork-run";

/**
 * "forking": the task is readied and the steps replayed; "stopping": Stop was pressed, Linux is reset;
 * "ready": Linux stands right after the step, for the shell or an agent; "taken": an agent run carries
 * on from it; "done": the fork ended without a machine (refused, stopped, failed: `error` says why) or
 * the machine moved on (another run or a verification used Linux).
 */
export type ForkPhase = "idle" | "forking" | "stopping" | "ready" | "taken" | "done";

export function forkIsBusy(phase: ForkPhase): boolean {
  return phase === "forking" || phase === "stopping";
}

export type ForkProgress =
  { stage: "readying" } | { stage: "replaying"; index: number; total: number; command: string };

/** The run a fork came from, as the Lab names it. */
export interface ForkParent {
  runId: string;
  taskId: string;
  title: string;
  step: number;
  /** How many steps the parent has (the fork may be at its last). */
  lastStep: number;
}

export interface ForkServices {
  vm(): Vm | undefined;
  /** Why Linux cannot be used now (a run, a suite, a verification), or undefined when it can. */
  vmBusy(): string | undefined;
  forkRun(options: ForkRunOptions): AsyncIterable<ForkEvent>;
  stateCache?(): ReadyTaskOptions | undefined;
}

export interface ForkState {
  phase: ForkPhase;
  parent: ForkParent | undefined;
  progress: ForkProgress | undefined;
  /** The machine's fork point while `ready` or `taken`. */
  point: ForkPoint | undefined;
  error: string | undefined;
  /** Puts Linux right after `step` of `record`; resolves with the fork point, or undefined (`error` says why). */
  fork(
    record: RunRecord,
    task: TaskBundle | undefined,
    step: number,
  ): Promise<ForkPoint | undefined>;
  stop(): void;
  /** An agent run started from the ready fork (Linux is its now). */
  carriedOn(): void;
  /** Linux left the fork's state (another run, a verification): the fork is forgotten. */
  leave(): void;
  /** Forgets a finished or refused fork (the Lab's Close). */
  dismiss(): void;
}

export const FORK_STOPPED_MESSAGE = "Fork stopped; Linux was reset.";

export function createForkStore(services: ForkServices): StoreApi<ForkState> {
  let controller: AbortController | undefined;
  return createStore<ForkState>()((set, get) => {
    const onEvent = (event: ForkEvent) => {
      switch (event.type) {
        case "readying":
          return set({ progress: { stage: "readying" } });
        case "step-started":
          return set({ progress: { stage: "replaying", ...event } });
        case "unforkable":
          return set({ error: event.reason });
        case "stopped":
          return set({ error: FORK_STOPPED_MESSAGE });
        default:
          return undefined;
      }
    };
    return {
      phase: "idle",
      parent: undefined,
      progress: undefined,
      point: undefined,
      error: undefined,
      async fork(record, task, step) {
        if (forkIsBusy(get().phase)) return undefined;
        const parent: ForkParent = {
          runId: record.id,
          taskId: record.task.id,
          title: record.task.title,
          step,
          lastStep: lastStep(record),
        };
        const fresh = { parent, progress: undefined, point: undefined };
        const busy = services.vmBusy();
        const vm = services.vm();
        const refusal =
          busy ?? (vm ? undefined : "Linux is not running yet: wait for it to start, then fork.");
        if (refusal || !vm) {
          set({ ...fresh, phase: "done", error: refusal });
          return undefined;
        }
        const run = new AbortController();
        controller = run;
        set({ ...fresh, phase: "forking", error: undefined });
        const stateCache = services.stateCache?.();
        let point: ForkPoint | undefined;
        try {
          for await (const event of services.forkRun({
            vm,
            task,
            record,
            step,
            signal: run.signal,
            ...(stateCache && { stateCache }),
          })) {
            onEvent(event);
            if (event.type === "forked") point = event.fork;
          }
          set({ phase: point ? "ready" : "done", progress: undefined, point });
          return point;
        } catch (error) {
          set({
            phase: "done",
            progress: undefined,
            error: `The fork could not go on: ${(error as Error).message}`,
          });
          return undefined;
        } finally {
          controller = undefined;
        }
      },
      stop() {
        if (get().phase !== "forking") return;
        set({ phase: "stopping" });
        controller?.abort();
      },
      carriedOn() {
        if (get().phase === "ready") set({ phase: "taken" });
      },
      leave() {
        if (get().phase === "ready" || get().phase === "taken")
          set({ phase: "idle", parent: undefined, point: undefined, error: undefined });
      },
      dismiss() {
        if (forkIsBusy(get().phase)) return;
        set({
          phase: "idle",
          parent: undefined,
          point: undefined,
          error: undefined,
          progress: undefined,
        });
      },
    };
  });
}
