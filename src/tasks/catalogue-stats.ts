// The task suite as a whole: counts by domain and difficulty, what each domain still lacks, and the
// suite's figures (wrong fixes, setup, solution and grader times from the last verification of each task).
import {
  TASK_DIFFICULTIES,
  TASK_DOMAINS,
  type TaskBundle,
  type TaskDifficulty,
  type TaskDomain,
} from "../domain/task";
import { median } from "../domain/median";

/** How many tasks each domain should hold now (on the way to 50), and how many of them hard. */
export const SUITE_TARGET = { perDomain: 30, hardPerDomain: 10 };

/** What the last `tasks verify` of one task found, kept per task (see verify-log.ts). */
export interface VerifyRecord {
  id: string;
  /** The task folder's hash when it was verified: a later edit makes the record stale. */
  folderHash: string;
  /** ISO time the verification ended. */
  verifiedAt: string;
  /** Rounds from a fresh VM. */
  repeat: number;
  ok: boolean;
  /** Medians over the rounds, in milliseconds (absent when no round completed). */
  setupMs?: number;
  solutionMs?: number;
  graderMs?: number;
  /** The whole verification's wall time over its rounds: one round's (absent in older records). */
  roundMs?: number;
}

export type DifficultyCounts = Record<TaskDifficulty, number> & { total: number };

/** Tasks by domain, then difficulty, with totals. */
export function countTasks(
  tasks: readonly TaskBundle[],
): Record<TaskDomain, DifficultyCounts> & { all: DifficultyCounts } {
  const empty = (): DifficultyCounts => ({ easy: 0, medium: 0, hard: 0, total: 0 });
  const counts = {
    ...(Object.fromEntries(TASK_DOMAINS.map((d) => [d, empty()])) as Record<
      TaskDomain,
      DifficultyCounts
    >),
    all: empty(),
  };
  for (const { meta } of tasks) {
    for (const row of [counts[meta.domain], counts.all]) {
      row[meta.difficulty]++;
      row.total++;
    }
  }
  return counts;
}

/** One line for each domain short of its share ("networking: 12 of 30 tasks, 2 of 10 hard"). */
export function shortfalls(tasks: readonly TaskBundle[], target = SUITE_TARGET): string[] {
  const counts = countTasks(tasks);
  return TASK_DOMAINS.flatMap((domain) => {
    const { total, hard } = counts[domain];
    if (total >= target.perDomain && hard >= target.hardPerDomain) return [];
    return [
      `${domain}: ${total} of ${target.perDomain} tasks, ${hard} of ${target.hardPerDomain} hard`,
    ];
  });
}

/** Where a task's verification figures stand against its folder as it is now. */
export type VerifyStanding = "verified" | "failed" | "stale" | "unverified";

export interface TaskStats {
  id: string;
  domain: TaskDomain;
  difficulty: TaskDifficulty;
  wrongFixes: number;
  /** From task.toml [solution]: the reference solution's commands and the faults it fixes. */
  commands?: number;
  faults?: number;
  standing: VerifyStanding;
  verifiedAt?: string;
  setupMs?: number;
  solutionMs?: number;
  graderMs?: number;
  /** One round of its verification (setup, solution, each wrong fix, the graders), wall time. */
  roundMs?: number;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface CatalogueStats {
  tasks: number;
  counts: ReturnType<typeof countTasks>;
  shortfalls: string[];
  wrongFixes: { total: number; perTask: Spread | undefined };
  /** Over the tasks whose record matches their folder and passed ("verified"). */
  verified: number;
  setupMs: Spread | undefined;
  solutionMs: Spread | undefined;
  graderMs: Spread | undefined;
  roundMs: Spread | undefined;
  /**
   * One round of every verified task with a round time, one after another: what `verify:tasks` takes
   * with one job (with two, about half), and how many tasks that covers.
   */
  suiteRound: { totalMs: number; tasks: number } | undefined;
  /** Tasks with no record, a failed one, or one made before the folder last changed. */
  unverified: string[];
  failed: string[];
  stale: string[];
  perTask: TaskStats[];
}

function spread(values: number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

function standingOf(task: TaskBundle, record: VerifyRecord | undefined): VerifyStanding {
  if (!record) return "unverified";
  if (task.folderHash === undefined || record.folderHash !== task.folderHash) return "stale";
  return record.ok ? "verified" : "failed";
}

/** The suite's figures; `records` holds the last verification of each task, by task id. */
export function catalogueStats(
  tasks: readonly TaskBundle[],
  records: ReadonlyMap<string, VerifyRecord>,
): CatalogueStats {
  const perTask = tasks.map((task): TaskStats => {
    const record = records.get(task.meta.id);
    const standing = standingOf(task, record);
    const figures = standing === "verified" && record;
    return {
      id: task.meta.id,
      domain: task.meta.domain,
      difficulty: task.meta.difficulty,
      wrongFixes: task.wrongFixes.length,
      ...(task.meta.solution && {
        commands: task.meta.solution.commands,
        faults: task.meta.solution.faults,
      }),
      standing,
      ...(record && { verifiedAt: record.verifiedAt }),
      ...(figures && {
        ...(figures.setupMs !== undefined && { setupMs: figures.setupMs }),
        ...(figures.solutionMs !== undefined && { solutionMs: figures.solutionMs }),
        ...(figures.graderMs !== undefined && { graderMs: figures.graderMs }),
        ...(figures.roundMs !== undefined && { roundMs: figures.roundMs }),
      }),
    };
  });
  const values = (key: "setupMs" | "solutionMs" | "graderMs" | "roundMs") =>
    perTask.flatMap((t) => (t[key] === undefined ? [] : [t[key]]));
  const rounds = values("roundMs");
  const ids = (standing: VerifyStanding) =>
    perTask.filter((t) => t.standing === standing).map((t) => t.id);
  return {
    tasks: tasks.length,
    counts: countTasks(tasks),
    shortfalls: shortfalls(tasks),
    wrongFixes: {
      total: perTask.reduce((sum, t) => sum + t.wrongFixes, 0),
      perTask: spread(perTask.map((t) => t.wrongFixes)),
    },
    verified: ids("verified").length,
    setupMs: spread(values("setupMs")),
    solutionMs: spread(values("solutionMs")),
    graderMs: spread(values("graderMs")),
    roundMs: spread(rounds),
    suiteRound: rounds.length
      ? { totalMs: rounds.reduce((sum, ms) => sum + ms, 0), tasks: rounds.length }
      : undefined,
    unverified: ids("unverified"),
    failed: ids("failed"),
    stale: ids("stale"),
    perTask,
  };
}

/** The counts as a small table: a row per domain and one for all, a column per difficulty. */
export function countsTable(counts: ReturnType<typeof countTasks>): string[] {
  const header = ["", ...TASK_DIFFICULTIES, "total"];
  const rows = [...TASK_DOMAINS, "all" as const].map((domain) => [
    domain,
    ...TASK_DIFFICULTIES.map((d) => String(counts[domain][d])),
    String(counts[domain].total),
  ]);
  return [header, ...rows].map(([name, ...cells]) =>
    [name!.padEnd(10), ...cells.map((c) => c.padStart(6))].join(" ").trimEnd(),
  );
}
