// Runs and suites kept in IndexedDB: the schema and its upgrades, runs kept step by step while they go, lists with unreadable records set aside.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { restoreRun, type RunEvent, type RunRecord } from "../domain/run";
import { restoreSuite, type SuiteRecord } from "../domain/suite";
import { restoreExplanation, type KeptExplanation } from "../domain/kept-explanation";
import { restoreVerification, type VerificationSummary } from "../domain/verification";

export const RUN_DB_NAME = "opslab";
/**
 * NOTE: bump with an upgrade step in `upgradeSteps` when the stores or indexes change; every
 * version ever shipped must keep upgrading (run-db.test.ts opens stored fixtures of each).
 * 1: `runs` (whole records, index createdAt).
 * 2: `suites` (SuiteRecord by id) and `runEvents` (a running run's events, by [runId, seq]).
 * 3: `verifications` (the last verification of a run in this browser, VerificationSummary by runId).
 * 4: `explanations` (the last explanation of a run in this browser, KeptExplanation by runId).
 */
export const RUN_DB_VERSION = 4;

/**
 * A run as `runs` keeps it: a whole record (finished, imported, or written by version 1), or, while
 * it runs and after it was cut off, its head with `open: true` and `events: []`, its events being in
 * `runEvents`. NOTE: a head is replaced by the whole record, and its events deleted, in one
 * transaction when the run ends.
 */
type StoredRun = RunRecord & { open?: true };

/** One event of an open run. */
interface StoredRunEvent {
  runId: string;
  /** 0-based position of the event in the run. */
  seq: number;
  event: RunEvent;
}

interface RunDbSchema extends DBSchema {
  runs: { key: string; value: unknown; indexes: { createdAt: string } };
  suites: { key: string; value: unknown };
  runEvents: { key: [string, number]; value: StoredRunEvent };
  verifications: { key: string; value: unknown };
  explanations: { key: string; value: unknown };
}

type UpgradeDb = IDBPDatabase<RunDbSchema>;

/** Upgrade steps by the version they lead to; each runs once, in order, inside the upgrade transaction. */
const upgradeSteps: Record<number, (db: UpgradeDb) => void> = {
  1: (db) => {
    const runs = db.createObjectStore("runs", { keyPath: "id" });
    runs.createIndex("createdAt", "createdAt");
  },
  2: (db) => {
    // NOTE: a version 1 database without its store (opened once without a version) is mended here.
    if (!db.objectStoreNames.contains("runs")) upgradeSteps[1]?.(db);
    db.createObjectStore("suites", { keyPath: "id" });
    db.createObjectStore("runEvents", { keyPath: ["runId", "seq"] });
  },
  // NOTE: kept apart from the run: the record stays as it was recorded (and shared); a verification is this browser's.
  3: (db) => {
    db.createObjectStore("verifications", { keyPath: "runId" });
  },
  4: (db) => {
    db.createObjectStore("explanations", { keyPath: "runId" });
  },
};

/** A stored record that could not be read, left untouched in storage until the person deletes it. */
export interface UnreadableRecord {
  id: string;
  reason: string;
}

export interface StoredRuns {
  runs: RunRecord[];
  /** Records that could not be read (damaged, foreign, or from a newer OpsLab). */
  unreadable: UnreadableRecord[];
  /**
   * Runs without an end whose tab still holds them (`runIsLive`): going on in another tab. A run
   * without an end that is not listed here was interrupted (its tab closed or reloaded).
   */
  running: string[];
  /**
   * Runs without an end whose tab is gone: interrupted, whatever their events say (one cut off while
   * it was being graded has the agent's `finished` but never its grade).
   */
  cutOff: string[];
}

export interface StoredSuites {
  suites: SuiteRecord[];
  unreadable: UnreadableRecord[];
}

/** A run kept step by step: its events are queued and written at once, one transaction per batch. */
export interface RunJournal {
  append(event: RunEvent): void;
  /** Writes whatever is queued now and asks the browser to commit it (on `pagehide`). */
  flush(): void;
  /** Replaces the head and its events with the whole record, in one transaction. */
  finish(record: RunRecord): Promise<void>;
}

export interface RunRepository {
  /** Writes a whole record (replacing a head and its events if there were any). */
  save(record: RunRecord): Promise<void>;
  list(): Promise<StoredRuns>;
  delete(id: string): Promise<void>;
  deleteMany(ids: string[]): Promise<void>;
  /**
   * Starts keeping a run as it goes: its head now, then every event. A write that fails is told to
   * `onError` (the run goes on; the caller keeps it in memory).
   */
  begin(head: RunRecord, onError: (error: Error) => void): Promise<RunJournal>;
  saveSuite(suite: SuiteRecord): Promise<void>;
  listSuites(): Promise<StoredSuites>;
  deleteSuite(id: string): Promise<void>;
  /** Keeps a run's verification, replacing its earlier one. */
  saveVerification(summary: VerificationSummary): Promise<void>;
  /** Every kept verification (a damaged one is left out). */
  listVerifications(): Promise<VerificationSummary[]>;
  /** Keeps a run's explanation, replacing its earlier one. */
  saveExplanation(explanation: KeptExplanation): Promise<void>;
  /** Every kept explanation (a damaged one is left out). */
  listExplanations(): Promise<KeptExplanation[]>;
  /** Writes whole runs and suites in one transaction (an import): all are kept, or none. */
  saveAll(runs: RunRecord[], suites: SuiteRecord[]): Promise<void>;
  close(): void;
}

export class StorageUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `Runs cannot be saved in this browser (${detail}); they last until the tab closes. A private window or a full disk can cause this.`,
    );
    this.name = "StorageUnavailableError";
  }
}

/** The browser's storage quota for this site is used up. */
export class StorageFullError extends Error {
  constructor() {
    super(
      "Storage is full: runs are kept in this tab only until space is freed. Delete old runs or saved task states in History, or export them.",
    );
    this.name = "StorageFullError";
  }
}

/** The connection was closed under us: another tab opened a newer OpsLab, or the browser closed it. */
export class StorageClosedError extends Error {
  constructor(why: string) {
    super(
      `${why}: reload this page to keep saving runs (runs of this tab stay in memory until then).`,
    );
    this.name = "StorageClosedError";
  }
}

/** What the connection tells its owner: another tab waits for it or holds it, or it was closed. */
export interface StorageEvents {
  /** This tab's open waits for older tabs to close their connection. */
  onBlocked?(message: string): void;
  /** The connection was closed (a newer version elsewhere, or the browser): reload to save again. */
  onClosed?(message: string): void;
}

export interface RunRepositoryOptions extends StorageEvents {
  /** Whether the tab that began a run still holds it (Web Locks in the page); false when unknown. */
  runIsLive?(runId: string): Promise<boolean>;
}

const BLOCKED_MESSAGE =
  "Another OpsLab tab holds an older version of storage open: close or reload it so this tab can save runs.";
const NEWER_ELSEWHERE = "Another tab opened a newer OpsLab, so this tab stopped saving";
const CLOSED_BY_BROWSER = "The browser closed this tab's storage";

/** A storage error as one a person can act on. */
export function storageError(error: unknown, closed: string | undefined): Error {
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.name === "QuotaExceededError") return new StorageFullError();
  if (
    closed !== undefined &&
    (e.name === "InvalidStateError" || e.name === "TransactionInactiveError")
  )
    return new StorageClosedError(closed);
  return e;
}

const eventRange = (runId: string) => IDBKeyRange.bound([runId, 0], [runId, Infinity]);

type Db = IDBPDatabase<RunDbSchema>;
/** Runs a storage operation, turning what the browser throws into an error that says what to do. */
type Guard = <T>(operation: () => Promise<T>) => Promise<T>;

/** Opens the database, upgrading it, and watches for other tabs; `guard` refuses once it was closed. */
async function connect(
  name: string,
  options: RunRepositoryOptions,
): Promise<{ db: Db; guard: Guard; closed: () => string | undefined }> {
  let db: Db | undefined;
  /** Why the connection was closed under us, once it was. */
  let closed: string | undefined;
  const closeWith = (why: string) => {
    closed = why;
    db?.close();
    options.onClosed?.(new StorageClosedError(why).message);
  };
  try {
    db = await openDB<RunDbSchema>(name, RUN_DB_VERSION, {
      upgrade(database, oldVersion, newVersion) {
        for (let v = oldVersion + 1; v <= (newVersion ?? RUN_DB_VERSION); v++)
          upgradeSteps[v]?.(database);
      },
      blocked: () => options.onBlocked?.(BLOCKED_MESSAGE),
      // NOTE: close at once, so a newer tab is never wedged waiting for this one.
      blocking: () => closeWith(NEWER_ELSEWHERE),
      terminated: () => closeWith(CLOSED_BY_BROWSER),
    });
  } catch (error) {
    throw new StorageUnavailableError((error as Error).message);
  }
  const guard: Guard = async (operation) => {
    if (closed !== undefined) throw new StorageClosedError(closed);
    try {
      return await operation();
    } catch (error) {
      throw storageError(error, closed);
    }
  };
  return { db, guard, closed: () => closed };
}

/** Every run record with the events of open ones, oldest first, read in one transaction. */
async function readAllRuns(db: Db) {
  const tx = db.transaction(["runs", "runEvents"]);
  const index = tx.objectStore("runs").index("createdAt");
  const [values, keys] = await Promise.all([index.getAll(), index.getAllKeys()]);
  const rows = await Promise.all(
    values.map((value) =>
      (value as StoredRun | undefined)?.open === true
        ? tx.objectStore("runEvents").getAll(eventRange(String((value as StoredRun).id)))
        : undefined,
    ),
  );
  return values.map((value, i) => ({ value, key: keys[i], rows: rows[i] }));
}

/** Reads what readAllRuns found, newest first: a head gets its events; a bad record is set aside. */
async function restoreAll(
  all: Awaited<ReturnType<typeof readAllRuns>>,
  runIsLive: RunRepositoryOptions["runIsLive"],
): Promise<StoredRuns> {
  const stored: StoredRuns = { runs: [], unreadable: [], running: [], cutOff: [] };
  for (const { value, key, rows } of [...all].reverse()) {
    try {
      if (!rows) {
        stored.runs.push(restoreRun(value));
        continue;
      }
      const head: StoredRun = { ...(value as StoredRun) };
      delete head.open;
      const run = restoreRun({ ...head, events: rows.map((row) => row.event) });
      stored.runs.push(run);
      if (await runIsLive?.(run.id)) stored.running.push(run.id);
      else stored.cutOff.push(run.id);
    } catch (error) {
      stored.unreadable.push({ id: String(key), reason: (error as Error).message });
    }
  }
  return stored;
}

/** Writes in one transaction: whole runs (their events rows dropped), suites, and runs deleted (with their verifications and explanations). */
function writeAll(
  db: Db,
  {
    put = [],
    suites = [],
    remove = [],
  }: { put?: RunRecord[]; suites?: SuiteRecord[]; remove?: string[] },
): Promise<unknown> {
  const tx = db.transaction(
    ["runs", "runEvents", "suites", "verifications", "explanations"],
    "readwrite",
  );
  const runs = tx.objectStore("runs");
  const events = tx.objectStore("runEvents");
  const verifications = tx.objectStore("verifications");
  return Promise.all([
    ...put.flatMap((run) => [runs.put(run), events.delete(eventRange(run.id))]),
    ...remove.flatMap((id) => [
      runs.delete(id),
      events.delete(eventRange(id)),
      verifications.delete(id),
      tx.objectStore("explanations").delete(id),
    ]),
    ...suites.map((suite) => tx.objectStore("suites").put(suite)),
    tx.done,
  ]);
}

async function listSuites(db: Db): Promise<StoredSuites> {
  const tx = db.transaction("suites");
  const [values, keys] = await Promise.all([tx.store.getAll(), tx.store.getAllKeys()]);
  const stored: StoredSuites = { suites: [], unreadable: [] };
  values.forEach((value, i) => {
    try {
      stored.suites.push(restoreSuite(value));
    } catch (error) {
      stored.unreadable.push({ id: String(keys[i]), reason: (error as Error).message });
    }
  });
  return stored;
}

export async function openRunRepository(
  name = RUN_DB_NAME,
  options: RunRepositoryOptions = {},
): Promise<RunRepository> {
  const { db, guard, closed } = await connect(name, options);
  const saveWhole = (record: RunRecord) =>
    guard(() => writeAll(db, { put: [record] })).then(() => {});
  const deleteMany = (ids: string[]) => guard(() => writeAll(db, { remove: ids })).then(() => {});
  return {
    save: saveWhole,
    list: async () => restoreAll(await guard(() => readAllRuns(db)), options.runIsLive),
    delete: (id) => deleteMany([id]),
    deleteMany,
    async begin(head, onError) {
      await guard(() => db.put("runs", { ...head, events: [], open: true }));
      return journal(db, head.id, (error) => onError(storageError(error, closed())), saveWhole);
    },
    saveSuite: (suite) => guard(async () => void (await db.put("suites", suite))),
    listSuites: () => guard(() => listSuites(db)),
    deleteSuite: (id) => guard(() => db.delete("suites", id)),
    saveVerification: (summary) => guard(async () => void (await db.put("verifications", summary))),
    listVerifications: () =>
      guard(async () =>
        (await db.getAll("verifications")).flatMap((raw) => restoreVerification(raw) ?? []),
      ),
    saveExplanation: (explanation) =>
      guard(async () => void (await db.put("explanations", explanation))),
    listExplanations: () =>
      guard(async () =>
        (await db.getAll("explanations")).flatMap((raw) => restoreExplanation(raw) ?? []),
      ),
    saveAll: (runs, suites) => guard(() => writeAll(db, { put: runs, suites })).then(() => {}),
    close: () => db.close(),
  };
}

/**
 * The journal of one run. NOTE: events are numbered as they are appended and written in the next
 * microtask (or at once by `flush`), each batch in one small transaction: nothing is throttled, and
 * no large record is rewritten per event (npm run bench:run-storage measures both).
 */
function journal(
  db: Db,
  runId: string,
  onError: (error: unknown) => void,
  saveWhole: (record: RunRecord) => Promise<void>,
): RunJournal {
  let seq = 0;
  let queued: StoredRunEvent[] = [];
  let scheduled = false;
  /** After a failed write or the end: later events wait for, or are in, the whole record. */
  let stopped = false;
  const flush = () => {
    scheduled = false;
    // NOTE: after a failed write, later events wait for the whole record (finish, or a later save).
    if (queued.length === 0 || stopped) return;
    const batch = queued;
    queued = [];
    try {
      const tx = db.transaction("runEvents", "readwrite");
      for (const row of batch) void tx.store.put(row).catch(() => undefined);
      tx.done.catch((error: unknown) => report(tx.error ?? error));
      tx.commit();
    } catch (error) {
      report(error);
    }
  };
  const report = (error: unknown) => {
    if (stopped) return;
    stopped = true;
    onError(error);
  };
  return {
    append(event) {
      queued.push({ runId, seq: seq++, event });
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(flush);
    },
    flush,
    finish(record) {
      // NOTE: queued events go first, so their transaction cannot land after the whole record's.
      flush();
      stopped = true;
      return saveWhole(record);
    },
  };
}
