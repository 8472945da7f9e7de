// npm run bench:tasks -- [--json] [--tasks a,b] [--fresh] [--dist DIR]: readying tasks from the shipped states in Node.
// Per task: task_ready_ms_first_visit (shipped file read, checked, unpacked, applied, restored, first
// command answered), the bytes a first visit downloads, and with --fresh today's setup in the same VM.
// NOTE: Node only; the page figures (Debian's Chromium) are not measured here yet.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { printFigures } from "./report";
import { loadTaskFolder } from "../src/tasks/node-loader";
import { setUpTask } from "../src/tasks/runner";
import { SHIPPED_MANIFEST_FILE, ShippedTaskStates } from "../src/tasks/shipped-states";
import { stopTaskCloud } from "../src/tasks/cloud";
import { taskStateKey } from "../src/tasks/task-state";
import { V86_VERSION } from "../src/vm/image";
import {
  DEFAULT_STATE_DIR,
  readImageManifest,
  readMatchingState,
  startNodeVm,
} from "../src/vm/node-vm";
import { unzstd } from "../src/vm/base-state";

const { values } = parseArgs({
  options: {
    json: { type: "boolean" },
    tasks: { type: "string" },
    fresh: { type: "boolean" },
    dist: { type: "string", default: "dist/task-states" },
  },
});
/** The targets (in the page): median first-visit ready, the worst, and the median download. */
const READY_MEDIAN_TARGET_MS = 3000;
const READY_MAX_TARGET_MS = 6000;
const DOWNLOAD_MEDIAN_TARGET_BYTES = 2_000_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const log = (text: string) => !values.json && console.error(text);

const dist = resolve(values.dist);
const image = await readImageManifest();
const baseState = await readMatchingState(image);
if (!baseState) throw new Error("no base VM state: run npm run vm:snapshot");
const manifestJson = JSON.parse(await readFile(join(dist, SHIPPED_MANIFEST_FILE), "utf8")) as {
  states: Record<string, { bytes: number }>;
};
const basePacked = new Uint8Array(await readFile(join(DEFAULT_STATE_DIR, baseState.file)));
const decodeStarted = performance.now();
const baseRaw = await unzstd(basePacked);
const baseDecodeMs = performance.now() - decodeStarted;
const shipped = new ShippedTaskStates({
  manifest: async () => manifestJson,
  file: async (name) => new Uint8Array(await readFile(join(dist, name))),
  base: async () => ({ file: baseState.file, raw: baseRaw }),
  unzstd,
});

const figures: Record<string, number> = { base_decode_ms: Math.round(baseDecodeMs) };
const targets: Record<string, number> = {};
const ready: number[] = [];
const bytes: number[] = [];
const folders = (values.tasks?.split(",") ?? []).map((id) => id.trim());
const vm = await startNodeVm();
try {
  for (const folder of folders) {
    const task = await loadTaskFolder(resolve(folder.includes("/") ? folder : await find(folder)));
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
    stopTaskCloud(vm);
    await vm.restoreState(got!.state);
    await vm.exec("true");
    const ms = performance.now() - started;
    figures[`${id}.task_ready_ms_first_visit`] = Math.round(ms);
    figures[`${id}.shipped_get_ms`] = Math.round(gotMs);
    figures[`${id}.first_visit_bytes`] = entry.bytes;
    ready.push(ms);
    bytes.push(entry.bytes);
    if (values.fresh) {
      const freshStarted = performance.now();
      await vm.reset();
      await setUpTask(vm, task);
      await vm.exec("true");
      figures[`${id}.fresh_setup_ms`] = Math.round(performance.now() - freshStarted);
    }
    log(`${id}: ${Math.round(ms)} ms, ${entry.bytes} bytes`);
  }
} finally {
  await vm.destroy();
}
figures.task_ready_ms_first_visit_median = Math.round(median(ready));
figures.task_ready_ms_first_visit_max = Math.round(Math.max(...ready));
figures.first_visit_bytes_median = median(bytes);
figures.shipped_bytes_total = Object.values(manifestJson.states).reduce((n, e) => n + e.bytes, 0);
targets.task_ready_ms_first_visit_median = READY_MEDIAN_TARGET_MS;
targets.task_ready_ms_first_visit_max = READY_MAX_TARGET_MS;
targets.first_visit_bytes_median = DOWNLOAD_MEDIAN_TARGET_BYTES;
printFigures(figures, targets, values.json ?? false);
process.exit(0);

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
