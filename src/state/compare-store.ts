// The comparisons page's state: the saved comparisons, one opened (saved here or from a link) with its aligned view, and its share link.
import { createStore, type StoreApi } from "zustand/vanilla";
import { redactSecrets } from "../agent/redact";
import type { ComparisonRecord } from "../domain/comparison";
import type { RunRecord } from "../domain/run";
import { decodeComparisonLink, encodeComparisonLink } from "../share/comparison-link";
import { ShareLinkError } from "../share/errors";
import { comparisonView, type ComparisonView } from "./compare-view";

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
}

export function createCompareStore(services: CompareServices): StoreApi<CompareState> {
  return createStore<CompareState>()((set, get) => ({
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
