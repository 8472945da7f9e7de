// npm run bench:suite [-- --json] [-- --jobs 1,2,3] [-- --isolations process,thread,inline] [task folder...]:
// oracle tasks per minute with 1, 2 and 3 VMs at once, each VM in a child process, a worker thread, or all
// on one thread (the baseline: how `npm run tasks -- verify --jobs` runs them), measured in the same run;
// where throughput stops rising, and the peak memory of a VM's process.
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { printFigures, type Figure } from "./report";
import type { SuiteJob } from "../src/cli/suite/protocol";
import type { ItemSettings } from "../src/cli/suite/run-item";
import { SUITE_WORKER } from "../src/cli/suite/run";
import type { RunRecord } from "../src/domain/run";
import { ISOLATIONS, runOnPool, type Isolation } from "../src/tasks/job-pool";
import { ORACLE_AGENT } from "../src/domain/suite";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean" },
    jobs: { type: "string", default: "1,2,3" },
    isolations: { type: "string", default: ISOLATIONS.join(",") },
  },
});
/**
 * Quick oracle tasks whose states after setup are cached (cloud tasks always set up afresh), two of
 * them twice: 6 runs, so 1, 2 and 3 VMs each get whole rounds. NOTE: no networking task: restoring
 * router-forwarding-off's cached state crashed v86 (9p set_state) once here; see the README.
 */
const DEFAULT_TASKS = [
  "tasks/sysadmin/login-path-broken",
  "tasks/sysadmin/nginx-wont-start",
  "tasks/sysadmin/nginx-reports-403",
  "tasks/sysadmin/deploy-sudo-restart",
  "tasks/sysadmin/login-path-broken",
  "tasks/sysadmin/nginx-wont-start",
];
/** A job count counts as a gain when it adds at least this share of throughput. */
const MIN_GAIN = 0.05;
const MS_PER_MINUTE = 60_000;
const BYTES_PER_MB = 1024 * 1024;

const folders = (positionals.length ? positionals : DEFAULT_TASKS).map((f) => resolve(f));
const jobCounts = values.jobs.split(",").map(Number);
const isolations = values.isolations.split(",") as Isolation[];
for (const isolation of isolations)
  if (!ISOLATIONS.includes(isolation)) throw new Error(`--isolations: unknown "${isolation}"`);

const log = (text: string): void => {
  if (!values.json) console.error(text);
};
/** A task named twice is its second trial. */
const jobsOf = (): SuiteJob[] =>
  folders.map((folder, index) => ({
    folder,
    item: {
      taskId: folder.split("/").at(-1) as string,
      agent: ORACLE_AGENT,
      trial: folders.slice(0, index).filter((f) => f === folder).length + 1,
    },
  }));

/** Runs every task once on `workers` VMs; wall time, and each worker's peak RSS. */
async function measure(isolation: Isolation, workers: number) {
  const failures: string[] = [];
  let passes = 0;
  const started = Date.now();
  const jobs = jobsOf();
  const report = await runOnPool<ItemSettings, SuiteJob, RunRecord>(jobs, {
    module: SUITE_WORKER,
    workers,
    isolation,
    init: { maxCostUsd: 0 },
    onDone: (_, record) => void (record.outcome.verdict === "pass" && passes++),
    onFailed: (index, error) =>
      void failures.push(`${(jobs[index] as SuiteJob).item.taskId}: ${error.message}`),
  });
  const wallMs = Date.now() - started;
  if (failures.length || passes !== folders.length)
    throw new Error(
      `${isolation} × ${workers}: ${passes} of ${folders.length} oracle runs passed${failures.length ? `; ${failures.join("; ")}` : ""}`,
    );
  return { wallMs, maxRssBytes: report.maxRssBytes };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
const figures: Record<string, Figure> = {
  cores: cpus().length,
  tasks: folders.length,
  load_avg_1m_before: round1(loadavg()[0] ?? NaN),
};

// Every task once first, so each measured configuration restores the same cached states.
log(`warming the task-state cache: ${folders.length} runs, 1 VM...`);
await measure("process", 1);

for (const isolation of isolations) {
  const perMinute: Record<string, number> = {};
  const rssMb: Record<string, number> = {};
  for (const workers of jobCounts) {
    log(`${isolation}: ${folders.length} oracle runs on ${workers} VM(s)...`);
    const { wallMs, maxRssBytes } = await measure(isolation, workers);
    perMinute[`jobs_${workers}`] = round1((folders.length * MS_PER_MINUTE) / wallMs);
    // NOTE: only a child process is one VM; a thread's or this thread's figure is the whole process's.
    if (isolation === "process")
      rssMb[`jobs_${workers}`] = Math.round(Math.max(...maxRssBytes) / BYTES_PER_MB);
    log(`  ${perMinute[`jobs_${workers}`]} tasks/min (${Math.round(wallMs / 1000)} s)`);
  }
  figures[`tasks_per_min_${isolation}`] = perMinute;
  const rising = jobCounts.filter((jobs, i) => {
    if (i === 0) return true;
    const before = perMinute[`jobs_${jobCounts[i - 1]}`] as number;
    return (perMinute[`jobs_${jobs}`] as number) >= before * (1 + MIN_GAIN);
  });
  // The last job count up to which each step added throughput.
  let stops = jobCounts[0] as number;
  for (const [i, jobs] of jobCounts.entries()) {
    if (i > 0 && !rising.includes(jobs)) break;
    stops = jobs;
  }
  figures[`throughput_stops_rising_after_jobs_${isolation}`] = stops;
  if (isolation === "process") figures.peak_rss_per_vm_mb = rssMb;
}
figures.load_avg_1m_after = round1(loadavg()[0] ?? NaN);
figures.peak_rss_this_process_mb = Math.round(
  (process.resourceUsage().maxRSS * 1024) / BYTES_PER_MB,
);
printFigures(figures, {}, values.json ?? false);
process.exit(0);
