// npm run build:task-states [-- --jobs N] [--out DIR] [--ready-only | --cached-only] [task folder...]: readies every task in Node and ships its state.
// Each task is set up once per key (an unchanged task is taken from .cache/task-states), its state
// encoded as a delta against the base VM state and written content-addressed, with a manifest.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadTaskFolder } from "../tasks/node-loader";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import { mapOnWorkers } from "../tasks/parallel";
import { setUpAndSaveState, taskStateKey } from "../tasks/task-state";
import { V86_VERSION } from "../vm/image";
import {
  DEFAULT_STATE_DIR,
  readImageManifest,
  readMatchingState,
  startNodeVm,
} from "../vm/node-vm";
import { encodeStateDelta } from "../vm/state-delta";
import {
  SHIPPED_MANIFEST_FILE,
  SHIPPED_MANIFEST_VERSION,
  type ShippedManifest,
} from "../tasks/shipped-states";
import type { TaskBundle } from "../domain/task";

const REPO_DIR = resolve(import.meta.dirname, "../..");
const TASKS_DIR = join(REPO_DIR, "tasks");
/** Tries at setting a task up before the build gives up on shipping its state. */
const READY_ATTEMPTS = 2;

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
  /** Set up now (false: found in the cache). */
  readied: boolean;
}

/** Sets up every task whose state is not in the cache yet, `jobs` VMs at a time. */
async function readyAll(folders: string[], jobs: number, cachedOnly = false): Promise<Readied[]> {
  const { imageId } = await readImageManifest();
  const cache = new FileTaskStateCache();
  const tasks = await Promise.all(folders.map((folder) => loadTaskFolder(folder)));
  const entries = await Promise.all(
    tasks.map(async (task) => ({
      task,
      key: await taskStateKey(task, { imageId, v86Version: V86_VERSION }),
    })),
  );
  const missing: typeof entries = [];
  const failed: string[] = [];
  for (const entry of entries)
    if (!cachedOnly && !(await cache.has(entry.key))) missing.push(entry);
  console.error(
    `build:task-states: ${entries.length - missing.length} of ${entries.length} tasks in the cache; readying ${missing.length} with ${jobs} VMs`,
  );
  await mapOnWorkers(
    missing,
    jobs,
    () => startNodeVm(),
    async ({ task, key }, vm) => {
      // NOTE: a task that fails to set up (twice: a loaded machine can time a setup out) ships no
      // state and sets up in the page as before; the build goes on and says so.
      for (let attempt = 1; attempt <= READY_ATTEMPTS; attempt++) {
        const started = Date.now();
        try {
          const { state } = await setUpAndSaveState(vm, task);
          await cache.put(key, state);
          console.error(
            `  ${task.meta.id}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s, ${(state.byteLength / 1e6).toFixed(1)} MB`,
          );
          return;
        } catch (error) {
          console.error(
            `  ${task.meta.id}: setup failed (try ${attempt}): ${(error as Error).message}`,
          );
        }
      }
      failed.push(task.meta.id);
    },
    (machine) => machine.destroy(),
  );
  return entries.map((entry) => ({ ...entry, readied: missing.includes(entry) }));
}

const jobs = Number(values.jobs);
const readied = await readyAll(await taskFolders(), jobs, values["cached-only"]);
if (values["ready-only"]) process.exit(0);

/** zstd as vm:snapshot packs the base state: level 19, a 128 MiB window v86's decoder also accepts. */
const ZSTD_ARGS = ["-q", "-19", "--long=27", "-T0", "-f"];
/** Encoded deltas by task-state key and base (not committed; rebuilt when the base changes). */
const DELTA_CACHE_DIR = join(REPO_DIR, ".cache/shipped-task-states");

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The task's delta against the base, zstd-packed; made once per key and base. */
async function packedDelta(key: string, baseFile: string, base: Uint8Array): Promise<Uint8Array> {
  const cached = join(DELTA_CACHE_DIR, `${key}--${baseFile}`);
  try {
    return new Uint8Array(await readFile(cached));
  } catch {
    // not made yet
  }
  const state = await new FileTaskStateCache().get(key);
  if (!state) throw new Error(`${key}: no state in .cache/task-states`);
  await mkdir(DELTA_CACHE_DIR, { recursive: true });
  const raw = `${cached}.${process.pid}.delta`;
  await writeFile(raw, encodeStateDelta(base, new Uint8Array(state)));
  // NOTE: from a file, so that the frame records its size; renamed so a reader never sees half of it.
  execFileSync("zstd", [...ZSTD_ARGS, "--rm", raw, "-o", `${raw}.zst`]);
  await rename(`${raw}.zst`, cached);
  return new Uint8Array(await readFile(cached));
}

/** Writes each readied task's delta into `out`, content-addressed, and the manifest naming them. */
async function ship(entries: Readied[], out: string): Promise<ShippedManifest> {
  const image = await readImageManifest();
  const baseState = await readMatchingState(image);
  if (!baseState) throw new Error("no base VM state for this image: run npm run vm:snapshot first");
  const base = new Uint8Array(
    execFileSync("zstd", ["-d", "-c", join(DEFAULT_STATE_DIR, baseState.file)], {
      maxBuffer: 1 << 30,
    }),
  );
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const manifest: ShippedManifest = {
    version: SHIPPED_MANIFEST_VERSION,
    base: baseState.file,
    states: {},
  };
  for (const { task, key } of entries) {
    const state = await new FileTaskStateCache().get(key);
    if (!state) continue; // its setup failed: it sets up in the page as before
    const packed = await packedDelta(key, baseState.file, base);
    const hash = sha256(packed);
    const file = `${hash.slice(0, 16)}.zst`;
    await writeFile(join(out, file), packed);
    manifest.states[key] = {
      file,
      bytes: packed.byteLength,
      sha256: hash,
      stateBytes: state.byteLength,
      stateSha256: sha256(new Uint8Array(state)),
    };
    console.error(`  ${task.meta.id}: ${file}, ${(packed.byteLength / 1e6).toFixed(2)} MB`);
  }
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
