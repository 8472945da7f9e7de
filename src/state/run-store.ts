// The agent run in the page: starting it on a task, its live events, stopping it, and past runs.
import { createStore, type StoreApi } from "zustand/vanilla";
import type { LlmClient } from "../agent/llm";
import type { AgentEvent } from "../agent/loop";
import type { PriceTable } from "../agent/prices";
import type { RunEvent, RunLimits, RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { recordRun, type TaskRunOptions } from "../tasks/agent-run";
import type { ReadyTaskOptions } from "../tasks/task-state";
import type { Vm } from "../vm/vm";

/** "stopping": stopped while the task was readied, Linux is being put back clean. */
export type RunPhase = "idle" | "preparing" | "running" | "grading" | "stopping" | "done";

/** Phases while a run is under way (a new run cannot start; "stopping" has no Stop button). */
export function runIsBusy(phase: RunPhase): boolean {
  return (
    phase === "preparing" || phase === "running" || phase === "grading" || phase === "stopping"
  );
}
export type AgentChoice = "model" | "oracle";

export interface RunServices {
  vm(): Vm | undefined;
  /** Makes the agent's client; throws an Error whose message says what to fix in Settings. */
  createClient(agent: AgentChoice, task: TaskBundle): LlmClient | Promise<LlmClient>;
  limits(task: TaskBundle): RunLimits;
  runOptions(): {
    prices: PriceTable;
    stopOnWarning: boolean;
    secrets: string[];
    stateCache?: ReadyTaskOptions;
  };
  runTask(options: TaskRunOptions): AsyncIterable<AgentEvent>;
  newRunId(): string;
  now(): Date;
  /** Where runs are kept (IndexedDB in the page); undefined when the browser offers none. */
  repository: RunRepositoryPort | undefined;
}

/** A saved run that could not be read (damaged, or from a newer OpsLab), and why. */
export interface UnreadableRun {
  id: string;
  reason: string;
}

/** What the store needs of run storage. */
export interface RunRepositoryPort {
  save(record: RunRecord): Promise<void>;
  list(): Promise<{ runs: RunRecord[]; unreadable: UnreadableRun[] }>;
  delete(id: string): Promise<void>;
}

/** While a run goes on, it is saved at most this often, so closing the tab loses little. */
export const RUN_SAVE_INTERVAL_MS = 2_000;

export interface RunState {
  phase: RunPhase;
  task: TaskBundle | undefined;
  agent: AgentChoice | undefined;
  /** The run's events so far (streamed text excluded). */
  events: RunEvent[];
  /** Text of the model's current turn as it streams in. */
  liveText: string;
  /** A failure before the agent could start (settings, setup), with what to do. */
  error: string | undefined;
  /** Saved runs, newest first (a run without an end was cut off: the tab closed mid-run). */
  history: RunRecord[];
  /** Saved runs that could not be read, left as they are until the person deletes them. */
  unreadable: UnreadableRun[];
  /** What went wrong with storage, if anything (runs then last for this tab only). */
  storageNote: string | undefined;
  /** A past run shown in the panel instead of the live one. */
  viewing: RunRecord | undefined;
  start(task: TaskBundle, agent: AgentChoice): Promise<void>;
  stop(): void;
  loadHistory(): Promise<void>;
  view(id: string | undefined): void;
  /** Deletes a saved run, readable or not, from storage and from the list. */
  deleteRun(id: string): Promise<void>;
}

/** The phase after an event: the agent starts after setup, grading follows its end. */
function nextPhase(phase: RunPhase, event: RunEvent): RunPhase {
  if (event.type === "setup") return "running";
  if (event.type !== "finished") return phase;
  return phase === "preparing" ? "stopping" : "grading";
}

export function createRunStore(services: RunServices): StoreApi<RunState> {
  let controller: AbortController | undefined;
  return createStore<RunState>()((set, get) => ({
    phase: "idle",
    task: undefined,
    agent: undefined,
    events: [],
    liveText: "",
    error: undefined,
    history: [],
    unreadable: [],
    storageNote: undefined,
    viewing: undefined,
    async loadHistory() {
      if (!services.repository) return;
      try {
        const { runs, unreadable } = await services.repository.list();
        set({ history: runs, unreadable });
      } catch (error) {
        set({ storageNote: (error as Error).message });
      }
    },
    async deleteRun(id) {
      try {
        await services.repository?.delete(id);
      } catch (error) {
        set({ storageNote: `The saved run could not be deleted: ${(error as Error).message}` });
        return;
      }
      set((s) => ({
        history: s.history.filter((r) => r.id !== id),
        unreadable: s.unreadable.filter((r) => r.id !== id),
        viewing: s.viewing?.id === id ? undefined : s.viewing,
      }));
    },
    view(id) {
      set((s) => ({ viewing: s.history.find((r) => r.id === id) }));
    },
    async start(task, agent) {
      if (runIsBusy(get().phase)) return;
      // NOTE: made first, so Stop works from the moment the run is asked for.
      const run = new AbortController();
      controller = run;
      set({
        phase: "preparing",
        task,
        agent,
        events: [],
        liveText: "",
        error: undefined,
        viewing: undefined,
      });
      const vm = services.vm();
      let client: LlmClient;
      try {
        if (!vm) throw new Error("Linux is not running yet: wait for the terminal, then run.");
        client = await services.createClient(agent, task);
      } catch (error) {
        controller = undefined;
        set({ phase: "idle", error: (error as Error).message });
        return;
      }
      if (run.signal.aborted) {
        controller = undefined;
        set({ phase: "idle" });
        return;
      }
      const limits = services.limits(task);
      const all: AgentEvent[] = [];
      const id = services.newRunId();
      const createdAt = services.now();
      let savedAt = 0;
      const save = async (force: boolean) => {
        const now = Date.now();
        if (!services.repository || (!force && now - savedAt < RUN_SAVE_INTERVAL_MS)) return;
        savedAt = now;
        const record = recordRun(id, createdAt, task, client, limits, all);
        try {
          await services.repository.save(record);
        } catch (error) {
          set({ storageNote: `This run could not be saved: ${(error as Error).message}` });
        }
        return record;
      };
      try {
        for await (const event of services.runTask({
          vm,
          task,
          client,
          limits,
          signal: run.signal,
          ...services.runOptions(),
        })) {
          all.push(event);
          if (event.type === "text-delta") {
            set((s) => ({ liveText: s.liveText + event.text }));
            continue;
          }
          set((s) => ({
            events: [...s.events, event],
            liveText: event.type === "reasoning" ? "" : s.liveText,
            phase: nextPhase(s.phase, event),
          }));
          void save(false);
        }
        const record = (await save(true)) ?? recordRun(id, createdAt, task, client, limits, all);
        set((s) => ({
          phase: "done",
          liveText: "",
          history: [record, ...s.history.filter((r) => r.id !== id)],
        }));
      } catch (error) {
        set({
          phase: "done",
          liveText: "",
          error: `The run could not go on: ${(error as Error).message}`,
        });
      } finally {
        controller = undefined;
      }
    },
    stop() {
      controller?.abort();
    },
  }));
}
