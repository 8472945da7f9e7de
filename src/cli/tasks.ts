// npm run tasks -- list | stats [--json] | verify [--repeat N] [--jobs N] [--json] <task folder>...
// list: every task, then counts by domain and difficulty and each domain short of its share.
// stats: the suite's figures: wrong fixes, and setup, solution and grader medians from each task's last
// verification on this machine (kept in .cache/verify/ by verify; stale once the task's folder changes).
// verify: each round sets the task up from a fresh VM; the grader must fail after setup, pass after the
// solution and fail after each wrong fix (tests/wrong/*.sh), each tried on the machine as setup left it;
// --jobs N verifies N tasks at once, each job in a VM of its own, the longest (by its last verification) first.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCatalogue } from "../tasks/node-loader";
import { mapOnProcesses } from "../tasks/job-pool";
import { seconds, type FolderReport, type VerifyJob } from "./verify-folder";
import {
  catalogueStats,
  countTasks,
  countsTable,
  shortfalls,
  type Spread,
} from "../tasks/catalogue-stats";
import { longestFirst, readVerifyLog } from "../tasks/verify-log";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
/** Each job of verify runs in a process of its own (job-pool.ts says why). */
const VERIFY_JOB_SCRIPT = resolve(import.meta.dirname, "verify-job.ts");
const USAGE =
  "usage: npm run tasks -- list | stats [--json] | verify [--repeat N] [--jobs N] [--json] <task folder>...";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    repeat: { type: "string", default: "1" },
    jobs: { type: "string", default: "1" },
    json: { type: "boolean" },
  },
});
const [command, ...folders] = positionals;

async function list(): Promise<number> {
  const { tasks, errors } = await loadCatalogue(TASKS_DIR);
  for (const { meta, wrongFixes } of tasks) {
    console.log(
      `${meta.domain.padEnd(10)} ${meta.difficulty.padEnd(6)} ${meta.id.padEnd(32)} ${String(wrongFixes.length).padStart(2)} wrong  ${meta.title}`,
    );
  }
  for (const error of errors) console.error(`broken: ${error.message}`);
  console.log(`${tasks.length} tasks${errors.length ? `, ${errors.length} broken` : ""}\n`);
  printCounts(countTasks(tasks), shortfalls(tasks));
  return errors.length ? 1 : 0;
}

/** The counts by domain and difficulty, then each domain short of its share. */
function printCounts(counts: ReturnType<typeof countTasks>, short: string[]): void {
  for (const line of countsTable(counts)) console.log(line);
  for (const line of short) console.log(`short: ${line}`);
}

const spreadText = (s: Spread | undefined, unit = (n: number) => String(n)) =>
  s ? `median ${unit(s.median)} (${unit(s.min)} to ${unit(s.max)})` : "none yet";

async function stats(): Promise<number> {
  const { tasks, errors } = await loadCatalogue(TASKS_DIR);
  const log = await readVerifyLog();
  const figures = catalogueStats(tasks, log.records);
  for (const error of [...errors.map((e) => `broken: ${e.message}`), ...log.errors])
    console.error(error);
  if (values.json) {
    console.log(JSON.stringify(figures, null, 2));
    return errors.length ? 1 : 0;
  }
  console.log(`${figures.tasks} tasks\n`);
  printCounts(figures.counts, figures.shortfalls);
  console.log(
    `\nwrong fixes: ${figures.wrongFixes.total}, per task ${spreadText(figures.wrongFixes.perTask)}`,
  );
  console.log(`verified here: ${figures.verified} of ${figures.tasks} (medians over them)`);
  console.log(`  setup     ${spreadText(figures.setupMs, seconds)}`);
  console.log(`  solution  ${spreadText(figures.solutionMs, seconds)}`);
  console.log(`  grader    ${spreadText(figures.graderMs, seconds)}`);
  console.log(`  a round   ${spreadText(figures.roundMs, seconds)}`);
  if (figures.suiteRound) {
    const { totalMs, tasks } = figures.suiteRound;
    const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
    console.log(
      `one round of the ${tasks} tasks with a round time: ${minutes(totalMs)} one after another, about ${minutes(totalMs / 2)} with --jobs 2`,
    );
  }
  for (const [what, ids] of [
    ["failed its last verification", figures.failed],
    ["changed since verified", figures.stale],
    ["never verified here", figures.unverified],
  ] as const) {
    if (ids.length) console.log(`${what}: ${ids.join(", ")}`);
  }
  console.log(
    `\n${"task".padEnd(32)} ${"diff".padEnd(6)} wrong cmds faults  setup  solution  grader`,
  );
  for (const t of figures.perTask) {
    const cell = (ms: number | undefined, width: number) =>
      (ms === undefined ? "-" : seconds(ms)).padStart(width);
    console.log(
      `${t.id.padEnd(32)} ${t.difficulty.padEnd(6)} ${String(t.wrongFixes).padStart(5)} ${String(t.commands ?? "-").padStart(4)} ${String(t.faults ?? "-").padStart(6)} ${cell(t.setupMs, 6)} ${cell(t.solutionMs, 9)} ${cell(t.graderMs, 7)}`,
    );
  }
  if (figures.unverified.length || figures.stale.length)
    console.log("\n(npm run verify:tasks verifies every task and records its figures)");
  return errors.length ? 1 : 0;
}

async function verify(): Promise<number> {
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new Error(`--repeat wants a whole number >= 1: ${USAGE}`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`--jobs wants a whole number >= 1: ${USAGE}`);
  if (folders.length === 0) throw new Error(`name at least one task folder: ${USAGE}`);
  const started = Date.now();
  const order = longestFirst(folders, (await readVerifyLog()).records);
  const done = await mapOnProcesses<VerifyJob, FolderReport>(
    order.map(({ folder }) => ({ folder, repeat, json: values.json ?? false })),
    jobs,
    VERIFY_JOB_SCRIPT,
  );
  // Reported in the order given.
  const reports: FolderReport[] = [];
  done.forEach((report, k) => (reports[order[k]?.index ?? k] = report));
  if (values.json) console.log(JSON.stringify(reports, null, 2));
  const failed = reports.filter((r) => !r.ok).length;
  // NOTE: with --json the summary goes to stderr, so stdout stays one JSON document.
  (values.json ? console.error : console.log)(
    `${reports.length - failed} of ${reports.length} tasks verified (${jobs} job${jobs > 1 ? "s" : ""}, ${seconds(Date.now() - started)})`,
  );
  return failed ? 1 : 0;
}

try {
  const code =
    command === "list"
      ? await list()
      : command === "stats"
        ? await stats()
        : command === "verify"
          ? await verify()
          : (console.error(USAGE), 2);
  process.exit(code);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
