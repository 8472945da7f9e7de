// npm run bench:tasks -- [--json] [--tasks a,b (default: all)] [--fresh] [--profile] [--dist DIR] [--page]: a task's first visit and its verdict.
// Node (default): per task, task_ready_ms_first_visit (shipped file read, checked, unpacked, applied,
// restored, first command answered), the bytes a first visit downloads, grade_ms (the grader after the
// reference solution, timed as a run grades) and with --fresh today's setup in the same VM.
// --page: the same in Debian's Chromium against the built dist/ (vite build + build:task-states): per
// task a first visit readied from its shipped state and, in the same run, afresh with task-states/
// blocked (the baseline), from Run (Oracle agent) to the agent's start, and from its finish to the verdict.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { printFigures, type Figure } from "./report";
import { loadCatalogue, loadTaskFolder } from "../src/tasks/node-loader";
import type { TaskBundle } from "../src/domain/task";
import { gradeTask, runSolution, setUpTask, type GradeOptions } from "../src/tasks/runner";
import type { GradeStage, TimedGraderNote } from "../src/domain/grade-progress";
import { SHIPPED_MANIFEST_FILE, ShippedTaskStates } from "../src/tasks/shipped-states";
import { startTaskCloud, stopTaskCloud } from "../src/tasks/cloud";
import { takeIntegrityBaseline } from "../src/tasks/grading/integrity";
import { taskStateKey } from "../src/tasks/task-state";
import { V86_VERSION } from "../src/vm/image";
import {
  DEFAULT_STATE_DIR,
  readImageManifest,
  readMatchingState,
  startNodeVm,
} from "../src/vm/driver/node-vm";
import { unzstd, unzstdPatch } from "../src/vm/state/base-state";
import { rebuildState } from "../src/vm/state/rebuild";
import { median } from "../src/domain/median";

const { values } = parseArgs({
  options: {
    json: { type: "boolean" },
    tasks: { type: "string" },
    fresh: { type: "boolean" },
    dist: { type: "string", default: "dist/task-states" },
    page: { type: "boolean" },
    /** Node: where each grade's time goes (its stages, and each check and step of the grader). */
    profile: { type: "boolean" },
    /** --page: milliseconds between selecting the task and pressing Run (a person reading the ticket). */
    "read-ms": { type: "string", default: "0" },
    /** --page: milliseconds between Linux ready and picking the task (a person finding it). */
    "settle-ms": { type: "string", default: "0" },
    /**
     * --page: also a first visit with each of these (comma-separated) added to the page's URL, e.g.
     * prefetch=off,prefetch=off&early-base=off: reported as <id>.task_ready_ms_first_visit_<it>.
     */
    "also-query": { type: "string" },
  },
});
/** The targets (in the page): median first-visit ready, the worst, and the median download. */
const READY_MEDIAN_TARGET_MS = 3000;
const READY_MAX_TARGET_MS = 6000;
const DOWNLOAD_MEDIAN_TARGET_BYTES = 2_000_000;
/** The targets for the verdict after the agent stops: median, and the worst. */
const GRADE_MEDIAN_TARGET_MS = 5000;
const GRADE_MAX_TARGET_MS = 20_000;

const log = (text: string) => !values.json && console.error(text);

const dist = resolve(values.dist);
const image = await readImageManifest();
const manifestJson = JSON.parse(await readFile(join(dist, SHIPPED_MANIFEST_FILE), "utf8")) as {
  states: Record<string, { bytes: number }>;
};
/** --tasks a,b: those tasks (ids or folders); without it, every task in the catalogue. */
const tasks = values.tasks
  ? await Promise.all(
      values.tasks
        .split(",")
        .map((id) => id.trim())
        .map(async (folder) =>
          loadTaskFolder(resolve(folder.includes("/") ? folder : await find(folder))),
        ),
    )
  : await allTasks();

const figures: Record<string, Figure> = {};
const targets: Record<string, number> = {
  task_ready_ms_first_visit_median: READY_MEDIAN_TARGET_MS,
  task_ready_ms_first_visit_max: READY_MAX_TARGET_MS,
  first_visit_bytes_median: DOWNLOAD_MEDIAN_TARGET_BYTES,
  grade_ms_median: GRADE_MEDIAN_TARGET_MS,
  grade_ms_max: GRADE_MAX_TARGET_MS,
};
const ready: number[] = [];
const bytes: number[] = [];
const grades: number[] = [];
const fresh: number[] = [];
/** Tasks whose reference solution failed after their shipped state was restored (Node). */
const failedSolutions: string[] = [];
/** Tasks whose grade did not pass the reference solution (their figures are printed, and the bench fails). */
const failedGrades: string[] = [];

if (values.page) await measurePage();
else await measureNode();

figures.task_ready_ms_first_visit_median = Math.round(median(ready));
figures.task_ready_ms_first_visit_max = Math.round(Math.max(...ready));
if (fresh.length) figures.fresh_setup_ms_median = Math.round(median(fresh));
figures.first_visit_bytes_median = median(bytes);
figures.grade_ms_median = Math.round(median(grades));
figures.grade_ms_max = Math.round(Math.max(...grades));
figures.shipped_bytes_total = Object.values(manifestJson.states).reduce((n, e) => n + e.bytes, 0);
printFigures(figures, targets, values.json ?? false);
if (failedSolutions.length) {
  console.error(`the reference solution failed for: ${failedSolutions.join(", ")}`);
  process.exit(1);
}
if (failedGrades.length) {
  console.error(`the grade did not pass the reference solution for: ${failedGrades.join(", ")}`);
  process.exit(1);
}
process.exit(0);

async function measureNode(): Promise<void> {
  const baseState = await readMatchingState(image);
  if (!baseState) throw new Error("no base VM state: run npm run vm:snapshot");
  const basePacked = new Uint8Array(await readFile(join(DEFAULT_STATE_DIR, baseState.file)));
  const decodeStarted = performance.now();
  const baseRaw = await unzstd(basePacked);
  figures.base_decode_ms = Math.round(performance.now() - decodeStarted);
  const shipped = new ShippedTaskStates({
    manifest: async () => manifestJson,
    file: async (name) => new Uint8Array(await readFile(join(dist, name))),
    baseFile: async () => baseState.file,
    rebuild: (packed) => rebuildState(baseRaw, packed, unzstdPatch),
  });
  const vm = await startNodeVm();
  try {
    for (const task of tasks) {
      const id = task.meta.id;
      const key = await taskStateKey(task, { imageId: image.imageId, v86Version: V86_VERSION });
      const entry = manifestJson.states[key];
      if (!entry) {
        log(`${id}: no shipped state`);
        continue;
      }
      await vm.reset();
      const started = performance.now();
      const got = await shipped.get(key);
      const gotMs = performance.now() - started;
      // As readyTask restores it: a cloud task's control plane starts afresh beside the machine.
      stopTaskCloud(vm);
      await vm.restoreState(got!.state);
      await startTaskCloud(vm, task, { writeCredentials: false });
      await vm.exec("true");
      const ms = performance.now() - started;
      figures[`${id}.task_ready_ms_first_visit`] = Math.round(ms);
      figures[`${id}.shipped_get_ms`] = Math.round(gotMs);
      figures[`${id}.first_visit_bytes`] = entry.bytes;
      ready.push(ms);
      bytes.push(entry.bytes);
      // As a run grades the oracle: the baseline once ready, the solution in the agent's session, then gradeTask.
      const baseline = await takeIntegrityBaseline(vm);
      try {
        await runSolution(vm, task);
      } catch (error) {
        // One task's broken reference does not end the others' figures; it is said, and has no grade_ms.
        console.error(`${id}: the reference solution failed: ${(error as Error).message}`);
        failedSolutions.push(id);
        continue;
      }
      const gradeStarted = performance.now();
      const profile = values.profile ? gradeProfile(id, gradeStarted) : undefined;
      const grade = await gradeTask(vm, task, { baseline, ...profile?.options });
      const gradeMs = performance.now() - gradeStarted;
      profile?.report(gradeMs);
      figures[`${id}.grade_ms`] = Math.round(gradeMs);
      grades.push(gradeMs);
      if (!grade.passed) {
        // Said even with --json (on stderr): a grade_ms of a failed grade is not the verdict's time.
        console.error(`${id}: the grader did not pass the reference solution`);
        failedGrades.push(id);
      }
      if (values.fresh) {
        const freshStarted = performance.now();
        stopTaskCloud(vm);
        await vm.reset();
        await setUpTask(vm, task);
        await vm.exec("true");
        const freshMs = performance.now() - freshStarted;
        figures[`${id}.fresh_setup_ms`] = Math.round(freshMs);
        fresh.push(freshMs);
      }
      log(
        `${id}: ready ${Math.round(ms)} ms, ${entry.bytes} bytes, graded in ${Math.round(gradeMs)} ms`,
      );
    }
  } finally {
    stopTaskCloud(vm);
    await vm.destroy();
  }
}

/**
 * --profile: times a grade's stages as gradeTask reports them, and the grader's checks and steps from
 * its own notes; report() prints them (and adds the stages to the figures).
 */
function gradeProfile(id: string, started: number) {
  const stages: { stage: GradeStage; at: number }[] = [];
  let timeline: TimedGraderNote[] = [];
  const options: Pick<GradeOptions, "onProgress" | "onTimeline"> = {
    onProgress: ({ stage }) => {
      if (stages.at(-1)?.stage !== stage) stages.push({ stage, at: performance.now() });
    },
    onTimeline: (notes) => (timeline = notes),
  };
  const report = (gradeMs: number) => {
    const lines = [`${id}: graded in ${Math.round(gradeMs)} ms`];
    stages.forEach(({ stage, at }, i) => {
      const ms = Math.round((stages[i + 1]?.at ?? started + gradeMs) - at);
      figures[`${id}.grade_${stage}_ms`] = ms;
      lines.push(`  ${String(ms).padStart(6)} ms  ${stage}`);
      if (stage === "checks")
        for (const note of timeline)
          lines.push(`  ${String(note.ms).padStart(14)} ms  ${note.kind}: ${note.text}`);
    });
    log(lines.join("\n"));
  };
  return { options, report };
}

async function measurePage(): Promise<void> {
  const { launchChromium, serveStatic } = await import("../e2e/support/browser");
  const { measureTaskInPage } = await import("./tasks-page");
  const server = await serveStatic(resolve(dist, ".."));
  const browser = await launchChromium();
  const readTicketMs = Number(values["read-ms"]);
  const readBeforeSelectMs = Number(values["settle-ms"]);
  figures.read_ticket_ms = readTicketMs;
  figures.settle_ms = readBeforeSelectMs;
  try {
    for (const task of tasks) {
      const id = task.meta.id;
      const key = await taskStateKey(task, { imageId: image.imageId, v86Version: V86_VERSION });
      if (!manifestJson.states[key]) {
        log(`${id}: no shipped state in ${dist}`);
        continue;
      }
      const first = await measureTaskInPage(browser, server, id, {
        shipped: true,
        readTicketMs,
        readBeforeSelectMs,
      });
      if (!/site ships/.test(first.setupLine))
        throw new Error(
          `${id}: the first visit was not readied from its shipped state: ${first.setupLine}`,
        );
      log(`${id}: shipped: ${JSON.stringify(first)}`);
      for (const query of values["also-query"]?.split(",") ?? []) {
        const other = await measureTaskInPage(browser, server, id, {
          shipped: true,
          readTicketMs,
          readBeforeSelectMs,
          query,
        });
        log(`${id}: shipped, ?${query}: ${JSON.stringify(other)}`);
        const suffix = query.replace(/[^a-z0-9]+/gi, "_");
        figures[`${id}.task_ready_ms_first_visit_${suffix}`] = other.readyMs;
        figures[`${id}.until_restore_ms_${suffix}`] = other.untilRestoreMs;
        figures[`${id}.ui_long_task_ms_while_ready_${suffix}`] = other.longTaskMs;
      }
      const afresh = await measureTaskInPage(browser, server, id, {
        shipped: false,
        readTicketMs,
        readBeforeSelectMs,
      });
      log(`${id}: afresh: ${JSON.stringify(afresh)}`);
      figures[`${id}.task_ready_ms_first_visit`] = first.readyMs;
      figures[`${id}.fresh_setup_ms`] = afresh.readyMs;
      figures[`${id}.until_restore_ms`] = first.untilRestoreMs;
      figures[`${id}.first_visit_bytes`] = first.bytes;
      figures[`${id}.ui_long_task_ms_while_ready`] = first.longTaskMs;
      figures[`${id}.grade_ms`] = first.gradeMs;
      figures[`${id}.grade_ms_after_fresh_setup`] = afresh.gradeMs;
      ready.push(first.readyMs);
      fresh.push(afresh.readyMs);
      bytes.push(first.bytes);
      grades.push(first.gradeMs);
      if (!first.passed || !afresh.passed) {
        console.error(`${id}: the oracle's run did not pass`);
        failedGrades.push(id);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

async function allTasks(): Promise<TaskBundle[]> {
  const catalogue = await loadCatalogue(resolve("tasks"));
  if (catalogue.errors.length)
    throw new Error(
      `tasks that do not load (npm run tasks -- list says why): ${catalogue.errors.map((e) => e.message).join("; ")}`,
    );
  return catalogue.tasks;
}

async function find(id: string): Promise<string> {
  for (const domain of ["sysadmin", "networking", "cloud"]) {
    const folder = join("tasks", domain, id);
    try {
      await readFile(join(folder, "task.toml"));
      return folder;
    } catch {
      // another domain
    }
  }
  throw new Error(`no task ${id} under tasks/`);
}
