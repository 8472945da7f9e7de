// The archive file: runs and suites as one versioned JSON document (page export and import, Node suite results, merges).
import { restoreRun, type RunRecord } from "./run";
import { restoreSuite, type SuiteRecord } from "./suite";

export const ARCHIVE_FORMAT = "opslab-archive";
/** NOTE: bump when the archive's own shape changes, and upgrade in parseArchive(). */
export const ARCHIVE_VERSION = 1;

/**
 * Runs and suites to move between browsers and machines. NOTE: holds no API key (runs never do); a
 * suite's runs are in `runs` or were left out on purpose (an archive of a few runs of a suite).
 */
export interface Archive {
  format: typeof ARCHIVE_FORMAT;
  version: number;
  /** ISO 8601 time the file was written. */
  exportedAt: string;
  /** What wrote it: "opslab page", "opslab suite (node) shard 2/4", ... */
  producer: string;
  runs: RunRecord[];
  suites: SuiteRecord[];
}

export class ArchiveFormatError extends Error {
  constructor(detail: string) {
    super(`This file is not an OpsLab archive it can read: ${detail}. Nothing was imported.`);
    this.name = "ArchiveFormatError";
  }
}

export function makeArchive(
  runs: RunRecord[],
  suites: SuiteRecord[],
  producer: string,
  now: Date = new Date(),
): Archive {
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: now.toISOString(),
    producer,
    runs,
    suites,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads an archive (parsed JSON) whole or not at all: every run and suite is checked as storage checks
 * it, and the first bad one refuses the file with where and why. NOTE: an import changes nothing
 * unless this succeeds.
 */
export function parseArchive(raw: unknown): Archive {
  if (!isObject(raw) || raw.format !== ARCHIVE_FORMAT)
    throw new ArchiveFormatError(`it does not say format "${ARCHIVE_FORMAT}"`);
  if (typeof raw.version !== "number") throw new ArchiveFormatError("it has no version");
  if (raw.version > ARCHIVE_VERSION)
    throw new ArchiveFormatError(
      `it is version ${raw.version}, newer than this OpsLab reads (${ARCHIVE_VERSION}): reload the page or update`,
    );
  if (!Array.isArray(raw.runs) || !Array.isArray(raw.suites))
    throw new ArchiveFormatError("it has no list of runs or suites");
  const runs = raw.runs.map((run, i) => {
    try {
      return restoreRun(run);
    } catch (error) {
      throw new ArchiveFormatError(`run ${i + 1}: ${(error as Error).message}`);
    }
  });
  const suites = raw.suites.map((suite, i) => {
    try {
      return restoreSuite(suite);
    } catch (error) {
      throw new ArchiveFormatError(`suite ${i + 1}: ${(error as Error).message}`);
    }
  });
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: typeof raw.exportedAt === "string" ? raw.exportedAt : "",
    producer: typeof raw.producer === "string" ? raw.producer : "",
    runs,
    suites,
  };
}

export class ArchiveMergeError extends Error {
  constructor(detail: string) {
    super(`These archives cannot be merged: ${detail}.`);
    this.name = "ArchiveMergeError";
  }
}

/**
 * Merges archives (a sweep's shards, a page's export with a Node run): runs by id, suites by id with
 * their items' runs joined. NOTE: the same run id must be the same run, and a suite's specs must be
 * equal and no item answered twice by different runs; anything else is refused, never guessed.
 */
export function mergeArchives(archives: Archive[], producer: string, now = new Date()): Archive {
  const runs = new Map<string, RunRecord>();
  const suites = new Map<string, SuiteRecord>();
  for (const archive of archives) {
    for (const run of archive.runs) {
      const known = runs.get(run.id);
      if (known && JSON.stringify(known) !== JSON.stringify(run))
        throw new ArchiveMergeError(`run ${run.id} differs between files`);
      runs.set(run.id, run);
    }
    for (const suite of archive.suites) {
      const known = suites.get(suite.id);
      if (!known) {
        suites.set(suite.id, { ...suite, runs: { ...suite.runs } });
        continue;
      }
      if (JSON.stringify(known.spec) !== JSON.stringify(suite.spec))
        throw new ArchiveMergeError(
          `suite ${suite.id} was run with different tasks, agents or trials`,
        );
      for (const [key, runId] of Object.entries(suite.runs)) {
        if (known.runs[key] && known.runs[key] !== runId)
          throw new ArchiveMergeError(`suite ${suite.id}'s item ${key} has two runs`);
        known.runs[key] = runId;
      }
    }
  }
  return makeArchive([...runs.values()], [...suites.values()], producer, now);
}

/** What importing an archive adds to what is already kept: nothing is written yet. */
export interface ImportPlan {
  /** Runs not kept yet (a run whose id is already here stays as it is, neither doubled nor replaced). */
  runs: RunRecord[];
  /** The archive's suites, each joined with the kept suite of the same id. */
  suites: SuiteRecord[];
  /** How many of the archive's runs were already kept. */
  already: number;
}

/**
 * Plans an import of `incoming` next to the kept suites and runs; throws ArchiveMergeError when a
 * suite disagrees with the kept one (other tasks, agents or trials, or another run for an item), so a
 * clash is refused before anything is written.
 */
export function planImport(
  incoming: Archive,
  keptSuites: readonly SuiteRecord[],
  keptRuns: readonly RunRecord[],
): ImportPlan {
  const wanted = new Set(incoming.suites.map((s) => s.id));
  const merged = mergeArchives(
    [
      makeArchive(
        [],
        keptSuites.filter((s) => wanted.has(s.id)),
        "kept",
      ),
      makeArchive([], incoming.suites, "file"),
    ],
    "import",
  );
  const known = new Set(keptRuns.map((r) => r.id));
  const runs = incoming.runs.filter((r) => !known.has(r.id));
  return { runs, suites: merged.suites, already: incoming.runs.length - runs.length };
}
