// The comparisons page's state: the saved comparisons, one opened (saved here or from a link) with its aligned view, and its share link.
import { createStore, type StoreApi } from "zustand/vanilla";
import { redactSecrets } from "../agent/redact";
import type { ComparisonRecord } from "../domain/comparison";
import type { RunRecord } from "../domain/run";
import { decodeComparisonLink, encodeComparisonLink } from "../share/comparison-link";
import { ShareLinkError } from "../share/errors";
import type { AgentEvent } from "../agent/loop";
import type { LlmClient } from "../agent/llm";
import { buildComparison } from "../analysis/comparison";
import type { TaskBundle } from "../domain/task";
import { recordRun } from "../tasks/agent-run";
import type { Vm } from "../vm/vm";
import type { GateDecision, GateQuestion, Side } from "./compare-gate";
import { runComparison, type CompareRunOptions } from "./compare-run";
import { comparisonView, type ComparisonView } from "./compare-view";

/** What running a comparison needs of the page: the task, two VMs, a client per model, run settings. */
export interface CompareRunServices extends Pick<CompareRunOptions, "runTask" | "newId" | "now"> {
  /** The task chosen in the catalogue. */
  task(): TaskBundle | undefined;
  /** The page's own VM (the left run's), null until Linux is up. */
  pageVm(): Vm | null;
  /** Why the page's Linux cannot take a comparison now (a run, a verification uses it), if so. */
  vmBusy?(): string | undefined;
  /** Boots a second VM for the right run (destroyed when the comparison ends). */
  startVm(): Promise<Vm>;
  createClient(model: string, task: TaskBundle): Promise<LlmClient>;
  limits(task: TaskBundle): CompareRunOptions["limits"];
  runOptions(): CompareRunOptions["runOptions"];
  /** Keeps a finished run as an ordinary run (History shows it). */
  saveRun(record: RunRecord): Promise<void>;
}

/** A comparison running in this tab: each side's events so far and the question waiting for the person. */
export type LiveComparison =
  | { status: "idle" }
  | {
      status: "running" | "done";
      models: [string, string];
      view: ComparisonView;
      question: GateQuestion | null;
      /** Set when done: the saved comparison's id. */
      savedId?: string;
    }
  | { status: "failed"; message: string };

/** What the store needs of storage: the comparisons' database and the runs'. */
export interface CompareServices {
  comparisons: {
    put(record: ComparisonRecord): Promise<void>;
    get(id: string): Promise<ComparisonRecord | undefined>;
    list(): Promise<{
      comparisons: ComparisonRecord[];
      unreadable: { id: string; reason: string }[];
    }>;
  };
  /** Saved runs (a comparison's two runs are among them). */
  listRuns(): Promise<RunRecord[]>;
  /** Strings never to be shared (the API key in Settings). */
  secrets(): string[];
  /** The folder hash of a task in this OpsLab's catalogue ("" when it has none). */
  folderHash(taskId: string): string;
  /** Absent where comparisons can only be viewed (no VM). */
  run?: CompareRunServices;
}

export type OpenedComparison =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "shown"; view: ComparisonView; shared: boolean }
  | { status: "failed"; message: string };

export interface CompareState {
  comparisons: ComparisonRecord[];
  unreadable: { id: string; reason: string }[];
  opened: OpenedComparison;
  load(): Promise<void>;
  openSaved(id: string): Promise<void>;
  openShared(payload: string): Promise<void>;
  /** The link payload of the opened comparison (its runs scrubbed of secrets), for "#/compare/share/<payload>". */
  linkPayload(): Promise<string>;
  /** Keeps a finished comparison (its runs are saved as ordinary runs by the caller). */
  save(record: ComparisonRecord): Promise<void>;
  live: LiveComparison;
  /** Runs the chosen task for two models at once; with `pause`, both wait at their first disagreement. */
  start(models: [string, string], pause: boolean): Promise<void>;
  /** The person's answer to the waiting question. */
  answer(decision: GateDecision): void;
  stop(): void;
}

export function createCompareStore(services: CompareServices): StoreApi<CompareState> {
  let answer: ((decision: GateDecision) => void) | null = null;
  let stopper: AbortController | null = null;
  return createStore<CompareState>()((set, get) => ({
    live: { status: "idle" },
    async start(models, pause) {
      const runServices = services.run;
      const task = runServices?.task();
      const vm = runServices?.pageVm();
      if (!runServices || !task || !vm) {
        set({
          live: { status: "failed", message: "Choose a task and wait for Linux to be ready." },
        });
        return;
      }
      const busy = runServices.vmBusy?.();
      if (busy) {
        set({ live: { status: "failed", message: busy } });
        return;
      }
      stopper = new AbortController();
      let second: Vm | undefined;
      try {
        const [left, right] = await Promise.all(
          models.map((m) => runServices.createClient(m, task)),
        );
        second = await runServices.startVm();
        const limits = runServices.limits(task);
        const events: Record<Side, AgentEvent[]> = { left: [], right: [] };
        const show = (question: GateQuestion | null) => {
          const records = (["left", "right"] as const).map((side) =>
            recordRun(
              side,
              new Date(0),
              task,
              side === "left" ? left! : right!,
              limits,
              events[side],
            ),
          );
          const record = buildComparison("live", new Date(0), records[0]!, records[1]!);
          const view = comparisonView(record, records[0]!, records[1]!);
          set({ live: { status: "running", models, view, question } });
        };
        show(null);
        const result = await runComparison({
          task,
          limits,
          left: { vm, client: left! },
          right: { vm: second, client: right! },
          runTask: runServices.runTask,
          runOptions: runServices.runOptions(),
          newId: runServices.newId,
          now: runServices.now,
          signal: stopper.signal,
          onEvent: (side, event) => {
            events[side].push(event);
            const live = get().live;
            show(live.status === "running" ? live.question : null);
          },
          ...(pause && {
            askAtDisagreement: (question: GateQuestion) =>
              new Promise<GateDecision>((resolve) => {
                answer = resolve;
                show(question);
              }),
          }),
        });
        await runServices.saveRun(result.left);
        await runServices.saveRun(result.right);
        await get().save(result.comparison);
        const view = comparisonView(result.comparison, result.left, result.right);
        set({
          live: { status: "done", models, view, question: null, savedId: result.comparison.id },
        });
      } catch (error) {
        set({ live: { status: "failed", message: (error as Error).message } });
      } finally {
        answer = null;
        stopper = null;
        void second?.destroy().catch(() => undefined);
      }
    },
    answer(decision) {
      const resolve = answer;
      answer = null;
      resolve?.(decision);
      const live = get().live;
      if (live.status === "running") set({ live: { ...live, question: null } });
    },
    stop() {
      get().answer("stop");
      stopper?.abort();
    },
    comparisons: [],
    unreadable: [],
    opened: { status: "idle" },
    async load() {
      const { comparisons, unreadable } = await services.comparisons.list();
      set({ comparisons, unreadable });
    },
    async openSaved(id) {
      set({ opened: { status: "loading" } });
      try {
        const record = await services.comparisons.get(id);
        if (!record) throw new Error(`There is no comparison ${id} in this browser.`);
        const runs = await services.listRuns();
        const [left, right] = record.runIds.map((runId) => runs.find((r) => r.id === runId));
        if (!left || !right) {
          throw new Error(
            "One of this comparison's runs is no longer kept here (deleted from History?).",
          );
        }
        set({
          opened: { status: "shown", view: comparisonView(record, left, right), shared: false },
        });
      } catch (error) {
        set({ opened: { status: "failed", message: (error as Error).message } });
      }
    },
    async openShared(payload) {
      set({ opened: { status: "loading" } });
      try {
        const { comparison, left, right } = await decodeComparisonLink(payload);
        set({
          opened: { status: "shown", view: comparisonView(comparison, left, right), shared: true },
        });
      } catch (error) {
        if (!(error instanceof ShareLinkError)) throw error;
        set({ opened: { status: "failed", message: error.message } });
      }
    },
    async linkPayload() {
      const opened = get().opened;
      if (opened.status !== "shown") throw new Error("Open a comparison first.");
      const { comparison, left, right } = opened.view;
      // NOTE: scrubbed here again, as run links are: a run made elsewhere may hold the key now in Settings.
      const secrets = services.secrets();
      const task = { id: comparison.task.id, folderHash: services.folderHash(comparison.task.id) };
      const scrub = (run: RunRecord) => redactSecrets(run, secrets);
      return (await encodeComparisonLink(comparison, scrub(left), scrub(right), task)).payload;
    },
    async save(record) {
      await services.comparisons.put(record);
      await get().load();
    },
  }));
}
