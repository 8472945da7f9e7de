// Runs kept in IndexedDB: save (also while running), list newest first, delete; unreadable records set aside.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { restoreRun, type RunRecord } from "../domain/run";

export const RUN_DB_NAME = "opslab";
/** NOTE: bump with an upgrade step in `upgrade` when the stores or indexes change. */
export const RUN_DB_VERSION = 1;

interface RunDbSchema extends DBSchema {
  runs: { key: string; value: unknown; indexes: { createdAt: string } };
}

export interface StoredRuns {
  runs: RunRecord[];
  /** Records that could not be read (damaged or from a newer OpsLab), left untouched in storage. */
  unreadable: { id: string; reason: string }[];
}

export interface RunRepository {
  save(record: RunRecord): Promise<void>;
  list(): Promise<StoredRuns>;
  delete(id: string): Promise<void>;
}

export class StorageUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `Runs cannot be saved in this browser (${detail}); they last until the tab closes. A private window or a full disk can cause this.`,
    );
    this.name = "StorageUnavailableError";
  }
}

export async function openRunRepository(name = RUN_DB_NAME): Promise<RunRepository> {
  let db: IDBPDatabase<RunDbSchema>;
  try {
    db = await openDB<RunDbSchema>(name, RUN_DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          const runs = database.createObjectStore("runs", { keyPath: "id" });
          runs.createIndex("createdAt", "createdAt");
        }
      },
    });
  } catch (error) {
    throw new StorageUnavailableError((error as Error).message);
  }
  return {
    async save(record) {
      await db.put("runs", record);
    },
    async list() {
      const stored: StoredRuns = { runs: [], unreadable: [] };
      const index = db.transaction("runs").store.index("createdAt");
      for (
        let cursor = await index.openCursor(null, "prev");
        cursor;
        cursor = await cursor.continue()
      ) {
        try {
          stored.runs.push(restoreRun(cursor.value));
        } catch (error) {
          stored.unreadable.push({
            id: String(cursor.primaryKey),
            reason: (error as Error).message,
          });
        }
      }
      return stored;
    },
    async delete(id) {
      await db.delete("runs", id);
    },
  };
}
