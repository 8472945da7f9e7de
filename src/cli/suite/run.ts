// The suite commands: run a shard of a suite on N VMs into a results file (resuming one), and merge results files.
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { makeArchive, mergeArchives, type Archive } from "../../domain/archive";
import { runDamaged } from "../../analysis/damage";
import { suiteLeaderboard } from "../../domain/leaderboard";
import type { RunRecord } from "../../domain/run";
import {
  ORACLE_AGENT,
  SUITE_SCHEMA_VERSION,
  agentKey,
  crossSetups,
  itemKey,
  shardItems,
  type SuiteAgent,
  type SuiteRecord,
  type SuiteSpec,
} from "../../domain/suite";
import { TaskLoadError } from "../../tasks/errors";
import { runOnPool } from "../../tasks/job-pool";
import { loadTaskFolder } from "../../tasks/node-loader";
import { KEY_VARIABLE, isLocalEndpoint, UsageError, type MergeArgs, type RunArgs } from "./args";
import { Progress, type ProgressMode } from "./progress";
import type { SuiteJob } from "./protocol";
import type { ItemSettings } from "./run-item";
import { readResults, ResultsFileError, writeResults } from "./results";
import { selectTasks, suiteIdOf, type CatalogueEntry } from "./select";
import { policyTable, setupTable } from "./table";

const subfolders = async (dir: string): Promise<string[]> => {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (error) {
    throw new UsageError(`--tasks-dir ${dir}: ${(error as Error).message}`);
  }
};

/** The module each of the suite's VMs runs in (a child process, a worker thread or this thread). */
export const SUITE_WORKER = resolve(import.meta.dirname, "worker.ts");

export const DEFAULT_TASKS_DIR = resolve(import.meta.dirname, "../../../tasks");

export interface Console {
  /** Progress and summaries. */
  out: (text: string) => void;
  /** Warnings and errors. */
  err: (text: string) => void;
  mode: ProgressMode;
}

export interface SuiteOutcome {
  /** Items that could not run (not verdicts): the exit code is non-zero when there are any. */
  errors: number;
}

/** The suite's setups: each model (or the oracle) under each policy and effort of the flags. */
export function agentsOf(args: RunArgs): SuiteAgent[] {
  const provider = args.model?.presetId ?? "openai";
  const models =
    args.agent === "oracle" ? [ORACLE_AGENT] : args.models.map((model) => ({ provider, model }));
  return crossSetups(models, args.policies, args.efforts);
}

/** The text of a task that failure labels read (what the task is about). */
type TaskText = { ticket: string; solutionScript: string };

/** The tasks under `tasksDir` (broken folders skipped, said on `con.err`), by id. */
async function catalogue(tasksDir: string, con: Console) {
  const entries: (CatalogueEntry & { folder: string; text: TaskText })[] = [];
  for (const domain of await subfolders(tasksDir))
    for (const slug of await subfolders(join(tasksDir, domain))) {
      const folder = join(tasksDir, domain, slug);
      try {
        const { meta, instruction, solutionScript } = await loadTaskFolder(folder);
        const text = { ticket: instruction, solutionScript };
        entries.push({ id: meta.id, domain: meta.domain, path: `${domain}/${slug}`, folder, text });
      } catch (error) {
        if (!(error instanceof TaskLoadError)) throw error;
        con.err(`skipped a broken task folder: ${error.message}\n`);
      }
    }
  return entries.sort((a, b) => a.id.localeCompare(b.id));
}

/** The suite the flags describe, the folder of each of its tasks, and their texts. */
async function planSuite(args: RunArgs, con: Console) {
  const entries = await catalogue(resolve(args.tasksDir ?? DEFAULT_TASKS_DIR), con);
  const chosen = selectTasks(args.tasks, entries);
  const spec: SuiteSpec = {
    tasks: chosen.map((t) => t.id),
    agents: agentsOf(args),
    trials: args.trials,
  };
  const folders = new Map(chosen.map((t) => [t.id, t.folder]));
  const texts = new Map(chosen.map((t) => [t.id, t.text]));
  return { spec, folders, texts };
}

/** The suite record to fill: the one already in the results file (resumed), or a new one. */
function startRecord(spec: SuiteSpec, args: RunArgs, existing: Archive | undefined): SuiteRecord {
  const id = suiteIdOf(spec);
  const known = existing?.suites.find((s) => s.id === id);
  if (known) return known;
  if (existing)
    throw new ResultsFileError(
      args.out,
      "holds other results (not this suite); give another --out so they are not overwritten",
    );
  const agents = spec.agents.map(agentKey).join(", ");
  return {
    schemaVersion: SUITE_SCHEMA_VERSION,
    id,
    name: args.name ?? `${args.tasks.join(", ")} × ${agents} × ${spec.trials}`,
    createdAt: new Date().toISOString(),
    spec,
    runs: {},
  };
}

/** Runs this machine's shard of the suite (the items not in the results file yet) and writes the file. */
export async function runSuite(args: RunArgs, con: Console): Promise<SuiteOutcome> {
  if (
    args.agent === "model" &&
    !process.env[KEY_VARIABLE] &&
    !isLocalEndpoint(args.model?.baseUrl ?? "")
  )
    throw new UsageError(`set ${KEY_VARIABLE} in the environment: the key is never a flag`);
  const { spec, folders, texts } = await planSuite(args, con);
  const existing = await readResults(args.out);
  const suite = startRecord(spec, args, existing);
  const runs = new Map<string, RunRecord>((existing?.runs ?? []).map((r) => [r.id, r]));
  const { index, count } = args.shard;
  const shard = shardItems(spec, index, count);
  const todo = shard.filter((item) => !(itemKey(item) in suite.runs));
  const producer = `opslab suite (node) shard ${index}/${count}`;
  const save = () => writeResults(args.out, makeArchive([...runs.values()], [suite], producer));
  const already = shard.length - todo.length;
  con.out(
    `suite ${suite.id}: ${spec.tasks.length} tasks × ${spec.agents.length} setups × ${spec.trials} trials; shard ${index}/${count} has ${shard.length} items` +
      (already ? `, ${already} already in ${args.out}` : "") +
      `; ${args.jobs} job${args.jobs > 1 ? "s" : ""} (${args.isolation})\n`,
  );
  const passesSoFar = shard.filter(
    (i) => runs.get(suite.runs[itemKey(i)] ?? "")?.outcome.verdict === "pass",
  ).length;
  const progress = new Progress(shard.length, con.mode, con.out, Date.now, {
    done: already,
    passes: passesSoFar,
  });
  await save();
  let errors = 0;
  const jobs: SuiteJob[] = todo.map((item) => ({
    item,
    folder: folders.get(item.taskId) as string,
  }));
  // NOTE: each finished run is written at once: a sweep cut off keeps what it ran and resumes from there.
  let writing = Promise.resolve();
  await runOnPool<ItemSettings, SuiteJob, RunRecord>(jobs, {
    module: SUITE_WORKER,
    workers: args.jobs,
    isolation: args.isolation,
    init: {
      ...(args.model && { model: args.model }),
      ...(args.maxSteps && { maxSteps: args.maxSteps }),
      maxCostUsd: args.maxCostUsd,
    },
    onDone: (index, record) => {
      const job = jobs[index] as SuiteJob;
      runs.set(record.id, record);
      suite.runs[itemKey(job.item)] = record.id;
      progress.ran(record, job.item.trial);
      writing = writing.then(save);
      return writing;
    },
    onFailed: (index, error) => {
      errors++;
      progress.failed(itemKey((jobs[index] as SuiteJob).item), error.message);
    },
  });
  await writing;
  progress.end();
  printSummary(suite, runs, texts, con);
  if (errors)
    con.err(
      `${errors} item${errors > 1 ? "s" : ""} could not run (see above); run the same command again to retry them (${args.out} keeps the others)\n`,
    );
  return { errors };
}

/**
 * The results table at the end, and each policy against none. NOTE: damage is from each run's
 * failure labels (its record and its task's text; heuristic), never from a VM.
 */
function printSummary(
  suite: SuiteRecord,
  runs: ReadonlyMap<string, RunRecord>,
  texts: ReadonlyMap<string, TaskText>,
  con: Console,
): void {
  const board = suiteLeaderboard(suite, runs, (run) => runDamaged(run, texts.get(run.task.id)));
  if (board.agents.length === 0) return;
  con.out(`${setupTable(board)}\n`);
  const policies = policyTable(board);
  if (policies) con.out(`${policies}\n`);
  con.out(
    "damage: runs labelled destructive-action from their records and tasks (heuristic; README, Suites)\n",
  );
}

/** Merges results files (a sweep's shards) into one. */
export async function mergeResults(args: MergeArgs, con: Console): Promise<void> {
  const archives: Archive[] = [];
  for (const file of args.files) {
    const archive = await readResults(file);
    if (!archive) throw new ResultsFileError(file, "no such file");
    archives.push(archive);
  }
  const merged = mergeArchives(archives, `opslab suite (node) merge of ${args.files.length} files`);
  await writeResults(args.out, merged);
  con.out(
    `${args.out}: ${merged.runs.length} runs, ${merged.suites.length} suite${merged.suites.length === 1 ? "" : "s"}\n`,
  );
  const byId = new Map(merged.runs.map((r) => [r.id, r]));
  // The catalogue here, for the damage labels; a task not in it is labelled from its runs alone.
  const quiet = { ...con, err: () => undefined };
  const texts = new Map(
    (await catalogue(DEFAULT_TASKS_DIR, quiet).catch(() => [])).map((t) => [t.id, t.text]),
  );
  for (const suite of merged.suites) {
    const items = suite.spec.tasks.length * suite.spec.agents.length * suite.spec.trials;
    const answered = Object.keys(suite.runs).length;
    con.out(
      `suite ${suite.id} (${suite.name}): ${answered} of ${items} items run${answered < items ? " (shards missing?)" : ""}\n`,
    );
    printSummary(suite, byId, texts, con);
  }
}
