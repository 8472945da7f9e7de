// How the page keeps a run while it goes: its head at the start, every event as it happens, the whole record at the end; what storage must offer for it.
import type { RunEvent, RunRecord } from "../domain/run";

/** A saved run that could not be read (damaged, or from a newer OpsLab), and why. */
export interface UnreadableRun {
  id: string;
  reason: string;
}

/** A run kept step by step (storage's RunJournal). */
export interface RunJournalPort {
  append(event: RunEvent): void;
  flush(): void;
  finish(record: RunRecord): Promise<void>;
}

/** What the store needs of run storage. */
export interface RunRepositoryPort {
  /** Writes a whole record (an import, or a run kept in memory once space is freed). */
  save(record: RunRecord): Promise<void>;
  /**
   * Saved runs newest first, unreadable ones, and the ids of runs without an end that their tab
   * still holds (going on elsewhere; the others without an end were interrupted).
   */
  list(): Promise<{
    runs: RunRecord[];
    unreadable: UnreadableRun[];
    running?: string[];
    cutOff?: string[];
  }>;
  delete(id: string): Promise<void>;
  deleteMany(ids: string[]): Promise<void>;
  /** Starts keeping a run step by step; a write that fails later is told to `onError`. */
  begin(head: RunRecord, onError: (error: Error) => void): Promise<RunJournalPort>;
}

/** One run being kept: events go to storage as they happen, nothing is throttled. */
export interface RunSaving {
  append(event: RunEvent): void;
  /** Writes what is queued now (the page calls it on `pagehide`). */
  flush(): void;
  /** Stores the whole record; false when it could not be (the caller keeps it in memory). */
  finish(record: RunRecord): Promise<boolean>;
}

/**
 * Keeps one run in `repository`. NOTE: events appended before storage answered `begin` are
 * queued and written in order once it has; a failure is told once to `onProblem` and the run goes on.
 */
export function startSaving(
  repository: RunRepositoryPort,
  head: RunRecord,
  onProblem: (message: string) => void,
): RunSaving {
  let journal: RunJournalPort | undefined;
  let waiting: RunEvent[] = [];
  let failed = false;
  const problem = (error: Error) => {
    if (failed) return;
    failed = true;
    onProblem(`This run could not be saved: ${error.message}`);
  };
  const opened = repository.begin(head, problem).then(
    (j) => {
      journal = j;
      for (const event of waiting) j.append(event);
      waiting = [];
      return j;
    },
    (error: Error) => {
      problem(error);
      return undefined;
    },
  );
  return {
    append(event) {
      if (journal) journal.append(event);
      else waiting.push(event);
    },
    flush() {
      journal?.flush();
    },
    async finish(record) {
      const j = await opened;
      try {
        if (j) await j.finish(record);
        else await repository.save(record);
        return true;
      } catch (error) {
        problem(error as Error);
        return false;
      }
    },
  };
}
