// Task states kept in IndexedDB for the page: a retried task restores in about a second instead of setting up.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";

export const TASK_STATE_DB_NAME = "opslab-task-states";
/** NOTE: bump with an upgrade step in `upgrade` when the stores or indexes change. */
export const TASK_STATE_DB_VERSION = 1;
/**
 * How many task states the page keeps (each is tens of megabytes raw): the least recently used
 * go first.
 */
export const MAX_KEPT_TASK_STATES = 4;

interface StoredTaskState {
  key: string;
  state: ArrayBuffer;
  /** Milliseconds since the epoch of the last save or restore. */
  usedAt: number;
}

interface TaskStateDbSchema extends DBSchema {
  states: { key: string; value: StoredTaskState; indexes: { usedAt: number } };
}

/**
 * The page's TaskStateCache (src/tasks/task-state.ts: storage may not import tasks; the shapes match).
 * NOTE: `get` finds nothing when IndexedDB cannot open, so a browser without it (or with a full disk)
 * still runs tasks, only without the shortcut; a failed `put` throws and `readyTask` reports it.
 */
export class IdbTaskStateCache {
  private db: Promise<IDBPDatabase<TaskStateDbSchema>> | undefined;

  constructor(
    private readonly name = TASK_STATE_DB_NAME,
    private readonly maxKept = MAX_KEPT_TASK_STATES,
    private readonly now: () => number = Date.now,
  ) {}

  private open(): Promise<IDBPDatabase<TaskStateDbSchema>> {
    this.db ??= openDB<TaskStateDbSchema>(this.name, TASK_STATE_DB_VERSION, {
      // NOTE: a newer OpsLab in another tab is never wedged by this one: close, and open again on next use.
      blocking: () => {
        void this.db?.then((db) => db.close());
        this.db = undefined;
      },
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          const states = database.createObjectStore("states", { keyPath: "key" });
          states.createIndex("usedAt", "usedAt");
        }
      },
    });
    return this.db;
  }

  async get(key: string): Promise<ArrayBuffer | undefined> {
    let db: IDBPDatabase<TaskStateDbSchema>;
    try {
      db = await this.open();
    } catch {
      return undefined;
    }
    const stored = await db.get("states", key);
    if (!stored) return undefined;
    if (!(stored.state instanceof ArrayBuffer)) {
      await db.delete("states", key);
      return undefined;
    }
    await db.put("states", { ...stored, usedAt: this.now() });
    return stored.state;
  }

  /** Whether a state is kept for `key`, without reading it (false when IndexedDB cannot open). */
  async has(key: string): Promise<boolean> {
    try {
      return (await (await this.open()).getKey("states", key)) !== undefined;
    } catch {
      return false;
    }
  }

  async put(key: string, state: ArrayBuffer): Promise<void> {
    const db = await this.open();
    await db.put("states", { key, state, usedAt: this.now() });
    const tx = db.transaction("states", "readwrite");
    const keys = await tx.store.index("usedAt").getAllKeys();
    // NOTE: getAllKeys on the index lists keys oldest use first.
    for (const old of keys.slice(0, Math.max(0, keys.length - this.maxKept))) {
      await tx.store.delete(old);
    }
    await tx.done;
  }

  async delete(key: string): Promise<void> {
    const db = await this.open();
    await db.delete("states", key);
  }

  /** Deletes every saved task state (to free space); tasks are set up afresh, then saved again. */
  async clear(): Promise<void> {
    const db = await this.open();
    await db.clear("states");
  }
}
