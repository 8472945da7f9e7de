// Comparisons kept in IndexedDB, a database of their own beside the runs': kept, listed newest first (unreadable ones set aside), opened, deleted.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { restoreComparison, type ComparisonRecord } from "../domain/comparison";
import type { UnreadableRecord } from "./run-db";

export const COMPARISON_DB_NAME = "opslab-comparisons";
/** NOTE: bump with an upgrade step in `upgrade` when the stores or indexes change. */
export const COMPARISON_DB_VERSION = 1;

interface ComparisonDbSchema extends DBSchema {
  /** NOTE: values are unknown until restoreComparison has checked them. */
  comparisons: { key: string; value: unknown; indexes: { createdAt: string } };
}

export interface StoredComparisons {
  /** Newest first. */
  comparisons: ComparisonRecord[];
  /** Records that could not be read, left in storage untouched (their runs are ordinary runs). */
  unreadable: UnreadableRecord[];
}

/** The comparisons of this browser. NOTE: a comparison's runs are kept in the runs' database, as any run. */
export class ComparisonRepository {
  private db: Promise<IDBPDatabase<ComparisonDbSchema>> | undefined;

  constructor(private readonly name = COMPARISON_DB_NAME) {}

  private open(): Promise<IDBPDatabase<ComparisonDbSchema>> {
    this.db ??= openDB<ComparisonDbSchema>(this.name, COMPARISON_DB_VERSION, {
      // NOTE: a newer OpsLab in another tab is never wedged by this one: close, and open again on next use.
      blocking: () => {
        void this.db?.then((db) => db.close());
        this.db = undefined;
      },
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          const store = database.createObjectStore("comparisons", { keyPath: "id" });
          store.createIndex("createdAt", "createdAt");
        }
      },
    });
    return this.db;
  }

  async put(record: ComparisonRecord): Promise<void> {
    await (await this.open()).put("comparisons", record);
  }

  /** The comparison `id`; undefined when there is none; a ComparisonFormatError when it cannot be read. */
  async get(id: string): Promise<ComparisonRecord | undefined> {
    const raw = await (await this.open()).get("comparisons", id);
    return raw === undefined ? undefined : restoreComparison(raw);
  }

  async list(): Promise<StoredComparisons> {
    const db = await this.open();
    const keys = await db.getAllKeys("comparisons");
    const values = await db.getAll("comparisons");
    const result: StoredComparisons = { comparisons: [], unreadable: [] };
    values.forEach((raw, i) => {
      try {
        result.comparisons.push(restoreComparison(raw));
      } catch (error) {
        result.unreadable.push({ id: String(keys[i]), reason: (error as Error).message });
      }
    });
    result.comparisons.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return result;
  }

  async delete(id: string): Promise<void> {
    await (await this.open()).delete("comparisons", id);
  }
}
