// The agent run in the page: starting it on a task, its live events, stopping it, and past runs.
import { createStore, type StoreApi } from "zustand/vanilla";
import type { LlmClient } from "../agent/llm";
import type { AgentEvent } from "../agent/loop";
import type { PriceTable } from "../agent/prices";
import type { RunEvent, RunLimits, RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import type { TaskRunOptions } from "../tasks/agent-run";
import type { Vm } from "../vm/vm";

export type RunPhase = "idle" | "preparing" | "running" | "grading" | "done";
export type AgentChoice = "model" | "oracle";

export interface RunServices {
  vm(): Vm | undefined;
  /** Makes the agent's client; throws an Error whose message says what to fix in Settings. */
  createClient(agent: AgentChoice, task: TaskBundle): LlmClient;
  limits(task: TaskBundle): RunLimits;
  runOptions(): { prices: PriceTable; stopOnWarning: boolean; secrets: string[] };
  runTask(options: TaskRunOptions): AsyncIterable<AgentEvent>;
  record(
    task: TaskBundle,
    client: LlmClient,
    limits: RunLimits,
    events: readonly AgentEvent[],
  ): RunRecord;
}

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
  /** Finished runs of this page, newest first. */
  history: RunRecord[];
  start(task: TaskBundle, agent: AgentChoice): Promise<void>;
  stop(): void;
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
    async start(task, agent) {
      const phase = get().phase;
      if (phase === "preparing" || phase === "running" || phase === "grading") return;
      set({ phase: "preparing", task, agent, events: [], liveText: "", error: undefined });
      const vm = services.vm();
      let client: LlmClient;
      try {
        if (!vm) throw new Error("Linux is not running yet: wait for the terminal, then run.");
        client = services.createClient(agent, task);
      } catch (error) {
        set({ phase: "idle", error: (error as Error).message });
        return;
      }
      controller = new AbortController();
      const limits = services.limits(task);
      const all: AgentEvent[] = [];
      try {
        for await (const event of services.runTask({
          vm,
          task,
          client,
          limits,
          signal: controller.signal,
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
            phase:
              event.type === "setup" ? "running" : event.type === "finished" ? "grading" : s.phase,
          }));
        }
        const record = services.record(task, client, limits, all);
        set((s) => ({ phase: "done", liveText: "", history: [record, ...s.history] }));
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
