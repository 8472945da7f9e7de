// Suites in the page: making one, running its items one after another through the run store, pause, stop, resume after a reload.
import { createStore, type StoreApi } from "zustand/vanilla";
import { makeArchive, parseArchive, planImport, type Archive } from "../domain/archive";
import type { RunRecord } from "../domain/run";
import {
  itemKey,
  pendingItems,
  suiteItems,
  SUITE_SCHEMA_VERSION,
  type SuiteAgent,
  type SuiteItem,
  type SuiteRecord,
  type SuiteSpec,
} from "../domain/suite";
import type { TaskBundle } from "../domain/task";
import { runIsBusy, type RunState } from "./run-store";

/**
 * "running": items run one after another; "pausing": the current item finishes, then the suite
 * pauses; "stopping": the current item is being stopped (it runs again on resume).
 */
export type SuitePhase = "idle" | "running" | "pausing" | "stopping" | "paused" | "done";

export function suiteIsBusy(phase: SuitePhase): boolean {
  return phase === "running" || phase === "pausing" || phase === "stopping";
}

/** How one item of a suite ended. */
export type ItemResult =
  /** A run was recorded, whatever its verdict (a provider error is a failed run, not a stop). */
  | { kind: "run"; run: RunRecord }
  /**
   * The item could not run. `lostVm`: it started and could not go on (the VM stopped answering):
   * the VM is restored and the item tried once more before the suite pauses.
   */
  | { kind: "error"; message: string; lostVm: boolean };

/** What the suite store needs of suite storage (IndexedDB in the page). */
export interface SuiteRepositoryPort {
  saveSuite(suite: SuiteRecord): Promise<void>;
  /** Readable suites, and those set aside (damaged, or from a newer OpsLab) with why. */
  listSuites(): Promise<{ suites: SuiteRecord[]; unreadable: { id: string; reason: string }[] }>;
  deleteSuite(id: string): Promise<void>;
}

/** Remembers, across reloads, which suite was running (so a reload resumes it). */
export interface ActiveSuiteMarker {
  get(): string | undefined;
  set(id: string | undefined): void;
}

export interface SuiteServices {
  task(id: string): TaskBundle | undefined;
  /** Runs one item; resolves when its run ended. */
  runItem(task: TaskBundle, agent: SuiteAgent): Promise<ItemResult>;
  /** Stops the item under way, if any. */
  stopItem(): void;
  /** Resolves when Linux is ready to run a task. */
  whenVmReady(): Promise<void>;
  /** What else uses Linux (a verification, a fork, an explanation), as what to do; undefined when nothing does. */
  vmBusy?(): string | undefined;
  /** Puts a VM that stopped answering back into a working state (throws, saying why, if it cannot). */
  restoreVm(): Promise<void>;
  repository: SuiteRepositoryPort | undefined;
  /** The runs kept in the page (the run store's history): a suite's results come from them. */
  runs(): readonly RunRecord[];
  /**
   * Keeps an import's runs and suites in one transaction (all or none; it throws, saying why, when
   * none was kept), then lists the runs with the others.
   */
  saveArchive(runs: RunRecord[], suites: SuiteRecord[]): Promise<void>;
  marker: ActiveSuiteMarker;
  /**
   * Marks the suite as running in this tab until the returned function is called, and tells whether
   * another tab runs it (Web Locks in the page): a suite never runs in two tabs at once.
   */
  hold?(id: string): () => void;
  heldElsewhere?(id: string): Promise<boolean>;
  newSuiteId(): string;
  now(): Date;
  /** Milliseconds of a monotonic clock, for time left. */
  clockMs(): number;
}

export interface SuiteState {
  /** Saved suites, newest first. */
  suites: SuiteRecord[];
  /** The suite running, paused or just finished in this tab. */
  activeId: string | undefined;
  phase: SuitePhase;
  /** The item under way. */
  current: SuiteItem | undefined;
  /** Wall-clock milliseconds of each item run in this tab, for the time left. */
  itemMs: number[];
  /** Set when a reload cut the suite off and it went on: the item that was running runs again. */
  resumedAfterReload: boolean;
  /** Why the suite paused on its own (a setting to fix, a task missing), with what to do. */
  error: string | undefined;
  storageNote: string | undefined;
  /** Lists saved suites; a suite that was running when the tab closed or reloaded goes on. */
  load(): Promise<void>;
  /** Lists saved suites again (after an import elsewhere in the page); the one running is kept as it is. */
  refresh(): Promise<void>;
  create(name: string, spec: SuiteSpec): Promise<SuiteRecord>;
  /** Runs the suite's items that have no run yet, one after another. */
  run(id: string): Promise<void>;
  /** The item under way finishes, then the suite pauses. */
  pause(): void;
  /** The item under way is stopped now (it runs again on resume), and the suite pauses. */
  stop(): void;
  remove(id: string): Promise<void>;
  /** The suite and its runs as an archive file's content. */
  exportSuite(id: string): Archive | undefined;
  /**
   * Imports an archive (parsed JSON): its runs and suites; a suite already here gets the items it
   * lacked. Resolves with what was imported; rejects, having changed nothing, when the file cannot
   * be read (ArchiveFormatError) or its suites clash with these (ArchiveMergeError).
   */
  importArchive(raw: unknown): Promise<{ runs: number; suites: SuiteRecord[] }>;
}

/** What wrote the page's archives. */
export const PAGE_PRODUCER = "opslab page";

export function createSuiteStore(services: SuiteServices): StoreApi<SuiteState> {
  const save = async (suite: SuiteRecord): Promise<string | undefined> => {
    try {
      await services.repository?.saveSuite(suite);
      return undefined;
    } catch (error) {
      return `The suite could not be saved (${(error as Error).message}); it goes on in this tab only.`;
    }
  };
  const store = createStore<SuiteState>()((set, get) => {
    const replace = (suite: SuiteRecord) =>
      set((s) => ({ suites: s.suites.map((x) => (x.id === suite.id ? suite : x)) }));
    let release: (() => void) | undefined;
    const halt = (phase: "paused" | "done", error?: string) => {
      release?.();
      release = undefined;
      services.marker.set(undefined);
      set({ phase, current: undefined, ...(error !== undefined && { error }) });
    };

    /** Runs one item, restoring a lost VM and trying once more; undefined when stopped. */
    async function runOne(task: TaskBundle, item: SuiteItem): Promise<ItemResult> {
      let result = await services.runItem(task, item.agent);
      if (result.kind === "run" && result.run.outcome.reason === "vm-error") await restore();
      if (result.kind === "error" && result.lostVm && get().phase === "running") {
        await restore();
        result = await services.runItem(task, item.agent);
      }
      return result;
    }
    async function restore() {
      try {
        await services.restoreVm();
      } catch (error) {
        set({ error: `Linux could not be restored: ${(error as Error).message}` });
      }
    }

    return {
      suites: [],
      activeId: undefined,
      phase: "idle",
      current: undefined,
      itemMs: [],
      resumedAfterReload: false,
      error: undefined,
      storageNote: undefined,
      async refresh() {
        try {
          const { suites, unreadable } = (await services.repository?.listSuites()) ?? {
            suites: [],
            unreadable: [],
          };
          const busy = suiteIsBusy(get().phase) ? get().activeId : undefined;
          const known = new Map(get().suites.map((s) => [s.id, s]));
          for (const suite of suites) if (suite.id !== busy) known.set(suite.id, suite);
          set({ suites: newestFirst([...known.values()]) });
          if (unreadable.length)
            set({
              storageNote: `${unreadable.length} saved suites could not be read and are left out (${unreadable[0]?.reason}).`,
            });
        } catch (error) {
          set({ storageNote: `Saved suites could not be read: ${(error as Error).message}` });
        }
      },
      async load() {
        await get().refresh();
        const interrupted = services.marker.get();
        if (!interrupted || suiteIsBusy(get().phase)) return;
        // Another tab of this browser went on with it already.
        if (await services.heldElsewhere?.(interrupted)) return;
        const suite = get().suites.find((s) => s.id === interrupted);
        if (!suite || pendingItems(suite).length === 0) {
          services.marker.set(undefined);
          return;
        }
        set({ resumedAfterReload: true });
        await get().run(interrupted);
      },
      async create(name, spec) {
        const suite: SuiteRecord = {
          schemaVersion: SUITE_SCHEMA_VERSION,
          id: services.newSuiteId(),
          name: name.trim() || "Suite",
          createdAt: services.now().toISOString(),
          spec,
          runs: {},
        };
        set((s) => ({ suites: [suite, ...s.suites] }));
        const note = await save(suite);
        if (note) set({ storageNote: note });
        return suite;
      },
      async run(id) {
        if (suiteIsBusy(get().phase)) return;
        if (!get().suites.some((s) => s.id === id)) return;
        const busy = services.vmBusy?.();
        if (busy) {
          set({ error: busy });
          return;
        }
        if (await services.heldElsewhere?.(id)) {
          set({ error: "This suite is running in another tab of this browser: follow it there." });
          return;
        }
        if (suiteIsBusy(get().phase)) return;
        release = services.hold?.(id);
        services.marker.set(id);
        set({ activeId: id, phase: "running", error: undefined, itemMs: [], current: undefined });
        await services.whenVmReady();
        for (;;) {
          const suite = get().suites.find((s) => s.id === id);
          if (!suite) return halt("paused", "The suite was deleted.");
          if (get().phase !== "running") return halt("paused");
          const item = pendingItems(suite)[0];
          if (!item) return halt("done");
          const task = services.task(item.taskId);
          if (!task)
            return halt(
              "paused",
              `Task ${item.taskId} is not in this OpsLab's catalogue, so the suite cannot finish here.`,
            );
          set({ current: item });
          const startedMs = services.clockMs();
          const result = await runOne(task, item);
          // NOTE: a stopped item is not the item's answer: it runs again when the suite resumes.
          if (get().phase === "stopping") return halt("paused");
          if (result.kind === "error")
            return halt("paused", `${result.message} Resume the suite when it is fixed.`);
          if (result.run.outcome.reason === "stopped")
            return halt(
              "paused",
              "The run was stopped in the run panel, so the suite paused: Resume runs that item again.",
            );
          const next = {
            ...suite,
            runs: { ...suite.runs, [itemKey(item)]: result.run.id },
          };
          replace(next);
          set((s) => ({ itemMs: [...s.itemMs, services.clockMs() - startedMs] }));
          const note = await save(next);
          if (note) set({ storageNote: note });
        }
      },
      pause() {
        if (get().phase === "running") set({ phase: "pausing" });
      },
      stop() {
        if (!suiteIsBusy(get().phase)) return;
        set({ phase: "stopping" });
        services.stopItem();
      },
      async remove(id) {
        if (get().activeId === id && suiteIsBusy(get().phase)) return;
        try {
          await services.repository?.deleteSuite(id);
        } catch (error) {
          set({ storageNote: `The suite could not be deleted: ${(error as Error).message}` });
          return;
        }
        if (services.marker.get() === id) services.marker.set(undefined);
        set((s) => ({
          suites: s.suites.filter((x) => x.id !== id),
          ...(s.activeId === id && { activeId: undefined, phase: "idle" as const }),
        }));
      },
      exportSuite(id) {
        const suite = get().suites.find((s) => s.id === id);
        if (!suite) return undefined;
        const wanted = new Set(Object.values(suite.runs));
        const runs = services.runs().filter((r) => wanted.has(r.id));
        return makeArchive(runs, [suite], PAGE_PRODUCER, services.now());
      },
      async importArchive(raw) {
        const archive = parseArchive(raw);
        // NOTE: planned before anything is stored, so a clash changes nothing. The suite running in
        // this tab is left out: its next save would overwrite what the file added.
        const busy = suiteIsBusy(get().phase) ? get().activeId : undefined;
        const plan = planImport(archive, get().suites, services.runs());
        const suites = plan.suites.filter((s) => s.id !== busy);
        await services.saveArchive(plan.runs, suites);
        set((s) => {
          const byId = new Map(s.suites.map((x) => [x.id, x]));
          for (const suite of suites) byId.set(suite.id, suite);
          return { suites: newestFirst([...byId.values()]) };
        });
        return { runs: plan.runs.length, suites };
      },
    };
  });
  return store;
}

const newestFirst = (suites: SuiteRecord[]) =>
  [...suites].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** Done/total of a suite and, from the items run so far in this tab, the time left. */
export function suiteProgress(
  suite: SuiteRecord,
  itemMs: readonly number[],
): { done: number; total: number; msLeft: number | undefined } {
  const total = suiteItems(suite.spec).length;
  const left = pendingItems(suite).length;
  const mean = itemMs.length ? itemMs.reduce((a, b) => a + b, 0) / itemMs.length : undefined;
  return { done: total - left, total, msLeft: mean === undefined ? undefined : mean * left };
}

/** Until runs say otherwise: how long one oracle item takes (setup, solution, grading). */
export const ORACLE_ITEM_ESTIMATE_MS = 30_000;
/** Until runs say otherwise: how long one model item takes. */
export const MODEL_ITEM_ESTIMATE_MS = 180_000;

/**
 * A rough time for items: each takes the mean duration of earlier runs of its task by the same kind
 * of agent (oracle or model), or the estimate above when there are none.
 */
export function estimateSuiteMs(spec: SuiteSpec, past: readonly RunRecord[]): number {
  return estimateItemsMs(suiteItems(spec), past);
}

/** estimateSuiteMs() of some items (those a suite has still to run). */
export function estimateItemsMs(items: readonly SuiteItem[], past: readonly RunRecord[]): number {
  const mean = new Map<string, { sum: number; n: number }>();
  for (const run of past) {
    const key = `${run.task.id}|${run.agent.model === "oracle" ? "oracle" : "model"}`;
    const m = mean.get(key) ?? { sum: 0, n: 0 };
    const setupMs = run.events.find((e) => e.type === "setup")?.durationMs ?? 0;
    m.sum += run.outcome.durationMs + setupMs;
    m.n++;
    mean.set(key, m);
  }
  let total = 0;
  for (const item of items) {
    const oracle = item.agent.provider === "oracle";
    const m = mean.get(`${item.taskId}|${oracle ? "oracle" : "model"}`);
    total += m ? m.sum / m.n : oracle ? ORACLE_ITEM_ESTIMATE_MS : MODEL_ITEM_ESTIMATE_MS;
  }
  return total;
}

/** Waits until the run store can take a run (a run the person started finishes first). */
function whenRunStoreFree(runStore: StoreApi<RunState>): Promise<void> {
  if (!runIsBusy(runStore.getState().phase)) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = runStore.subscribe((s) => {
      if (runIsBusy(s.phase)) return;
      unsubscribe();
      resolve();
    });
  });
}

/**
 * runItem through the run store, the way a single run goes (its events stream to the run panel and
 * the agent's terminal; the run is saved as any run is). `providerId()` is the provider in Settings:
 * a suite's model runs only through the provider it was made with.
 */
export function runItemsThrough(
  runStore: StoreApi<RunState>,
  providerId: () => string,
): Pick<SuiteServices, "runItem" | "stopItem"> {
  return {
    async runItem(task, agent) {
      await whenRunStoreFree(runStore);
      const oracle = agent.provider === "oracle";
      if (!oracle && agent.provider !== providerId())
        return {
          kind: "error",
          lostVm: false,
          message: `This suite runs ${agent.model} through ${agent.provider}, and Settings has ${providerId()}: choose ${agent.provider} in Settings.`,
        };
      // NOTE: the item runs under its setup's policy and effort, not Settings' (none is none).
      const setup = { policy: agent.policy, effort: agent.effort };
      const run = await runStore
        .getState()
        .start(
          task,
          oracle ? "oracle" : "model",
          oracle ? undefined : agent.model,
          undefined,
          setup,
        );
      if (run) return { kind: "run", run };
      const { error, phase } = runStore.getState();
      return {
        kind: "error",
        // "done" without a record: it started and could not go on (setup or the VM failed).
        lostVm: phase === "done",
        message: error ?? "The run did not start.",
      };
    },
    stopItem: () => runStore.getState().stop(),
  };
}
