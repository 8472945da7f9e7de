// npm run build:task-states [-- --jobs N] [--out DIR] [--ready-only | --cached-only] [task folder...]: readies every task in Node and ships its state.
// Each task is set up once per key (an unchanged task is taken from .cache/task-states), its state
// packed as a zstd patch against the base VM state (`jobs` at a time) and written content-addressed,
// with a manifest.
import { copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadTaskFolder } from "../tasks/node-loader";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import { mapOnProcesses } from "../tasks/job-pool";
import { taskStateKey } from "../tasks/task-state";
import { V86_VERSION } from "../vm/image";
import { readImageManifest } from "../vm/driver/node-vm";
import {
  SHIPPED_MANIFEST_FILE,
  SHIPPED_MANIFEST_VERSION,
  type ShippedManifest,
  type ShippedStateEntry,
} from "../tasks/shipped-states";
import type { TaskBundle } from "../domain/task";
import { packTaskState, readBaseState } from "./task-state-shipping";
import type { TaskStateJob } from "./task-state-job";

const REPO_DIR = resolve(import.meta.dirname, "../..");
/** Each VM readies its tasks in a process of its own (job-pool.ts says why). */
const TASK_STATE_JOB_SCRIPT = resolve(import.meta.dirname, "task-state-job.ts");
const TASKS_DIR = join(REPO_DIR, "tasks");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    jobs: { type: "string", default: "2" },
    out: { type: "string", default: join(REPO_DIR, "dist/task-states") },
    /** Only set the tasks up (into .cache/task-states); ship nothing. */
    "ready-only": { type: "boolean" },
    /** Ship the states already in .cache/task-states; set none up (no VM). */
    "cached-only": { type: "boolean" },
  },
});

async function taskFolders(): Promise<string[]> {
  if (positionals.length) return positionals.map((folder) => resolve(folder));
  const folders: string[] = [];
  for (const domain of (await readdir(TASKS_DIR, { withFileTypes: true })).filter((d) =>
    d.isDirectory(),
  )) {
    const dir = join(TASKS_DIR, domain.name);
    for (const task of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()))
      folders.push(join(dir, task.name));
  }
  return folders.sort();
}

interface Readied {
  task: TaskBundle;
  key: string;
}

/** Sets up every task whose state is not in the cache yet, `jobs` VMs at a time, each in a process. */
async function readyAll(folders: string[], jobs: number, cachedOnly = false): Promise<Readied[]> {
  const { imageId } = await readImageManifest();
  const cache = new FileTaskStateCache();
  const entries = await Promise.all(
    folders.map(async (folder) => {
      const task = await loadTaskFolder(folder);
      return { folder, task, key: await taskStateKey(task, { imageId, v86Version: V86_VERSION }) };
    }),
  );
  const missing: typeof entries = [];
  for (const entry of entries)
    if (!cachedOnly && !(await cache.has(entry.key))) missing.push(entry);
  console.error(
    `build:task-states: ${entries.length - missing.length} of ${entries.length} tasks in the cache; readying ${missing.length} with ${jobs} VMs`,
  );
  // NOTE: a task that failed to set up has no state in the cache: ship() leaves it out and says so.
  await mapOnProcesses<TaskStateJob, void>(
    missing.map(({ folder, key }) => ({ folder, key })),
    jobs,
    TASK_STATE_JOB_SCRIPT,
  );
  return entries;
}

const jobs = Number(values.jobs);
const readied = await readyAll(await taskFolders(), jobs, values["cached-only"]);
if (values["ready-only"]) process.exit(0);

/** Writes each readied task's patch into `out`, content-addressed, and the manifest naming them. */
async function ship(entries: Readied[], out: string): Promise<ShippedManifest> {
  const base = await readBaseState();
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const manifest: ShippedManifest = {
    version: SHIPPED_MANIFEST_VERSION,
    base: base.file,
    states: {},
  };
  const cache = new FileTaskStateCache();
  // NOTE: zstd packs each patch on one core for 11 to 22 s, so `jobs` of them run at once.
  const packed = new Array<ShippedStateEntry | undefined>(entries.length);
  let next = 0;
  const packer = async () => {
    for (let i = next++; i < entries.length; i = next++) {
      const { task, key } = entries[i]!;
      if (!(await cache.has(key))) continue; // its setup failed: it sets up in the page as before
      const { entry, path } = await packTaskState(key, base, cache);
      await copyFile(path, join(out, entry.file));
      packed[i] = entry;
      console.error(`  ${task.meta.id}: ${entry.file}, ${(entry.bytes / 1e6).toFixed(2)} MB`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, packer));
  entries.forEach(({ key }, i) => {
    if (packed[i]) manifest.states[key] = packed[i];
  });
  await writeFile(join(out, SHIPPED_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

const manifest = await ship(readied, resolve(values.out));
const shipped = Object.values(manifest.states);
const total = shipped.reduce((sum, entry) => sum + entry.bytes, 0);
console.error(
  `build:task-states: ${shipped.length} of ${readied.length} task states shipped in ${values.out}, ${(total / 1e6).toFixed(1)} MB in all`,
);
if (shipped.length < readied.length) process.exitCode = 1;
