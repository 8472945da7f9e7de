// npm run tasks -- list | verify [--repeat N] [--jobs N] [--json] <task folder>...
// verify: each round sets the task up from a fresh VM; the grader must fail after setup, pass after the
// solution and fail after each wrong fix (tests/wrong/*.sh), each tried on the machine as setup left it;
// --jobs N verifies N tasks at once, each job in a VM of its own.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCatalogue, loadTaskFolder } from "../tasks/node-loader";
import { mapOnWorkers } from "../tasks/parallel";
import { verifyFigures, verifyTask, type VerifyFigures, type VerifyReport } from "../tasks/verify";
import { startNodeVm } from "../vm/node-vm";
import type { Vm } from "../vm/vm";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
const USAGE =
  "usage: npm run tasks -- list | verify [--repeat N] [--jobs N] [--json] <task folder>...";

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
  console.log(`${tasks.length} tasks${errors.length ? `, ${errors.length} broken` : ""}`);
  return errors.length ? 1 : 0;
}

type FolderReport = VerifyReport & { folder: string; figures?: VerifyFigures };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function verifyFolder(vm: Vm, folder: string, repeat: number): Promise<FolderReport> {
  try {
    const task = await loadTaskFolder(resolve(folder));
    const started = Date.now();
    const report = await verifyTask(vm, task, repeat);
    const figures = verifyFigures(report);
    if (!values.json) {
      const typical = figures
        ? `; setup ${seconds(figures.setupMs)}, solution ${seconds(figures.solutionMs)}, grader ${seconds(figures.graderMs)}${repeat > 1 ? " (medians)" : ""}`
        : "";
      console.log(
        `${report.ok ? "ok  " : "FAIL"} ${task.meta.id} (${repeat}x in ${seconds(Date.now() - started)}${typical})`,
      );
      const wrong = report.rounds.flatMap((r) => r.wrongFixes);
      if (wrong.length) {
        const rejected = wrong.filter((w) => !w.grade.passed).length;
        console.log(`     wrong fixes rejected: ${rejected} of ${wrong.length}`);
      }
      for (const problem of report.problems) console.log(`     ${problem}`);
    }
    return { ...report, folder, ...(figures && { figures }) };
  } catch (error) {
    if (!values.json) console.log(`FAIL ${folder}\n     ${(error as Error).message}`);
    return { id: folder, folder, ok: false, rounds: [], problems: [(error as Error).message] };
  }
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
  const reports = await mapOnWorkers(
    folders,
    jobs,
    () => startNodeVm(),
    (folder, vm) => verifyFolder(vm, folder, repeat),
    (vm) => vm.destroy(),
  );
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
      : command === "verify"
        ? await verify()
        : (console.error(USAGE), 2);
  process.exit(code);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
