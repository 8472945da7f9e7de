// The history view's state: filters and selection over saved runs, deleting, storage used and freeing it, export and import of archives, CSV.
import { createStore, type StoreApi } from "zustand/vanilla";
import { makeArchive, parseArchive, planImport } from "../domain/archive";
import { runsToCsv } from "../domain/results-csv";
import type { RunRecord } from "../domain/run";
import type { SuiteRecord } from "../domain/suite";
import { NO_FILTER, type HistoryFilter } from "./history-filter";
import type { RunState } from "./run-store";

/** The browser's storage for this site (navigator.storage in the page). */
export interface StorageSpacePort {
  /** Bytes used and allowed; undefined when the browser does not say. */
  estimate(): Promise<{ usageBytes: number; quotaBytes: number } | undefined>;
  /** Asks that this site's storage is not evicted; undefined when the browser cannot be asked. */
  persist(): Promise<boolean | undefined>;
  /** Deletes the saved task states (the restore-in-a-second shortcut); they are made again when needed. */
  clearTaskStates(): Promise<void>;
}

/** What the history needs of storage beyond runs: suites, and writing an import in one go. */
export interface ArchiveRepositoryPort {
  listSuites(): Promise<{ suites: SuiteRecord[] }>;
  /** Writes runs and suites in one transaction: all are kept, or none. */
  saveAll(runs: RunRecord[], suites: SuiteRecord[]): Promise<void>;
}

export interface HistoryServices {
  runs: StoreApi<RunState>;
  archives: ArchiveRepositoryPort | undefined;
  space: StorageSpacePort;
  now(): Date;
  /** Told after an import was kept (the suites page lists the suites it brought). */
  onImported?(): void;
}

export interface HistoryNotice {
  kind: "ok" | "error";
  text: string;
}

/** A file for the person to download. */
export interface DownloadFile {
  name: string;
  type: string;
  text: string;
}

export interface HistoryState {
  filter: HistoryFilter;
  /** Ids of the runs ticked for delete or export. */
  selected: string[];
  /** The run whose timeline is open. */
  detailId: string | undefined;
  space: { usageBytes: number; quotaBytes: number } | undefined;
  /** Whether the browser agreed to keep this site's storage; undefined until asked or when it cannot say. */
  persisted: boolean | undefined;
  notice: HistoryNotice | undefined;
  setFilter(patch: Partial<HistoryFilter>): void;
  toggle(id: string): void;
  select(ids: string[]): void;
  openDetail(id: string | undefined): void;
  refreshSpace(): Promise<void>;
  requestPersistence(): Promise<void>;
  deleteRuns(ids: string[]): Promise<void>;
  /** Deletes the runs started before `days` days ago (not those going on in another tab). */
  deleteOlderThan(days: number): Promise<number>;
  clearTaskStates(): Promise<void>;
  /** An archive of the given runs (all when none are given) and the suites they belong to. */
  exportArchive(ids?: string[]): Promise<DownloadFile>;
  exportCsv(ids?: string[]): DownloadFile;
  /** Reads an archive whole, then keeps its new runs and suites; a bad file changes nothing. */
  importText(text: string): Promise<void>;
}

const MS_PER_DAY = 86_400_000;

export function createHistoryStore(services: HistoryServices): StoreApi<HistoryState> {
  const runs = () => services.runs.getState();
  const day = () => services.now().toISOString().slice(0, 10);
  const chosen = (ids?: string[]) => {
    const all = runs().history;
    if (!ids) return all;
    const wanted = new Set(ids);
    return all.filter((r) => wanted.has(r.id));
  };
  return createStore<HistoryState>()((set, get) => ({
    filter: NO_FILTER,
    selected: [],
    detailId: undefined,
    space: undefined,
    persisted: undefined,
    notice: undefined,
    setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
    toggle: (id) =>
      set((s) => ({
        selected: s.selected.includes(id)
          ? s.selected.filter((x) => x !== id)
          : [...s.selected, id],
      })),
    select: (ids) => set({ selected: ids }),
    openDetail: (id) => set({ detailId: id }),
    async refreshSpace() {
      try {
        set({ space: await services.space.estimate() });
      } catch {
        set({ space: undefined });
      }
    },
    async requestPersistence() {
      try {
        set({ persisted: await services.space.persist() });
      } catch {
        set({ persisted: undefined });
      }
    },
    async deleteRuns(ids) {
      await runs().deleteRuns(ids);
      const gone = new Set(ids);
      set((s) => ({
        selected: s.selected.filter((id) => !gone.has(id)),
        detailId: s.detailId && gone.has(s.detailId) ? undefined : s.detailId,
      }));
      await get().refreshSpace();
    },
    async deleteOlderThan(days) {
      const before = new Date(services.now().getTime() - days * MS_PER_DAY).toISOString();
      const elsewhere = new Set(runs().runningElsewhere);
      const old = runs()
        .history.filter((r) => r.createdAt < before && !elsewhere.has(r.id))
        .map((r) => r.id);
      if (old.length > 0) await get().deleteRuns(old);
      set({
        notice: { kind: "ok", text: `Deleted ${old.length} run(s) older than ${days} days.` },
      });
      return old.length;
    },
    async clearTaskStates() {
      try {
        await services.space.clearTaskStates();
        set({ notice: { kind: "ok", text: "Saved task states deleted." } });
      } catch (error) {
        set({
          notice: {
            kind: "error",
            text: `Saved task states could not be deleted: ${(error as Error).message}`,
          },
        });
      }
      await get().refreshSpace();
      await runs().saveUnsaved();
    },
    async exportArchive(ids) {
      const picked = chosen(ids);
      const pickedIds = new Set(picked.map((r) => r.id));
      const { suites } = (await services.archives?.listSuites()) ?? { suites: [] };
      const belonging = ids
        ? suites.filter((s) => Object.values(s.runs).some((id) => pickedIds.has(id)))
        : suites;
      const archive = makeArchive(picked, belonging, "opslab page", services.now());
      return {
        name: `opslab-runs-${day()}.json`,
        type: "application/json",
        text: `${JSON.stringify(archive, null, 1)}\n`,
      };
    },
    exportCsv: (ids) => ({
      name: `opslab-results-${day()}.csv`,
      type: "text/csv",
      text: runsToCsv(chosen(ids)),
    }),
    async importText(text) {
      set({ notice: undefined });
      try {
        if (!services.archives) throw new Error("this browser offers no storage to import into");
        const result = await importArchive(text, runs().history, services.archives);
        await runs().loadHistory();
        services.onImported?.();
        set({ notice: { kind: "ok", text: result } });
      } catch (error) {
        set({ notice: { kind: "error", text: (error as Error).message } });
      }
      await get().refreshSpace();
    },
  }));
}

/**
 * Reads the file whole (JSON, then parseArchive), merges its suites with the stored ones (refused,
 * never guessed, when they disagree), and only then writes, in one transaction. NOTE: a run whose
 * id is already here is kept as it is, not duplicated nor replaced.
 */
async function importArchive(
  text: string,
  have: readonly RunRecord[],
  archives: ArchiveRepositoryPort,
): Promise<string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("This file is not JSON, so not an OpsLab archive. Nothing was imported.");
  }
  const incoming = parseArchive(json);
  const { suites: kept } = await archives.listSuites();
  const { runs: fresh, suites, already } = planImport(incoming, kept, have);
  await archives.saveAll(fresh, suites);
  return `Imported ${fresh.length} run(s) and ${suites.length} suite(s)${already ? `; ${already} run(s) were here already` : ""}.`;
}
