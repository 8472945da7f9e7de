// Readying one task's state in Node and packing it as shipped (a zstd delta against the base): the build's steps, shared with npm run dev.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { TaskBundle } from "../domain/task";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import type { ShippedStateEntry } from "../tasks/shipped-states";
import { setUpAndSaveState } from "../tasks/task-state";
import { DEFAULT_STATE_DIR, readImageManifest, readMatchingState } from "../vm/driver/node-vm";
import { encodeStateDelta } from "../vm/state/state-delta";
import type { Vm } from "../vm/vm";

const run = promisify(execFile);

const REPO_DIR = resolve(import.meta.dirname, "../..");
/** Encoded deltas by task-state key and base (not committed; rebuilt when the base changes). */
export const DEFAULT_DELTA_CACHE_DIR = join(REPO_DIR, ".cache/shipped-task-states");
/** Tries at setting a task up before giving up on shipping its state. */
export const READY_ATTEMPTS = 2;
/** zstd as vm:snapshot packs the base state: level 19, a 128 MiB window v86's decoder also accepts. */
const ZSTD_ARGS = ["-q", "-19", "--long=27", "-T0", "-f"];
/** The base state unpacked is 30-40 MB; zstd's output is read whole. */
const MAX_BASE_BYTES = 1 << 30;

/**
 * Sets `task` up on `vm` and keeps its state in `cache` under `key`, `attempts` times at most.
 * NOTE: a loaded machine can time a setup out, hence a second try; the last error is thrown.
 */
export async function readyTaskState(
  vm: Vm,
  task: TaskBundle,
  key: string,
  cache: FileTaskStateCache,
  log: (line: string) => void = (line) => console.error(line),
  attempts = READY_ATTEMPTS,
): Promise<{ stateBytes: number; readyMs: number }> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const started = Date.now();
    try {
      const { state } = await setUpAndSaveState(vm, task);
      await cache.put(key, state);
      const readyMs = Date.now() - started;
      log(
        `  ${task.meta.id}: ready in ${(readyMs / 1000).toFixed(1)} s, ${(state.byteLength / 1e6).toFixed(1)} MB`,
      );
      return { stateBytes: state.byteLength, readyMs };
    } catch (error) {
      last = error;
      log(`  ${task.meta.id}: setup failed (try ${attempt}): ${(error as Error).message}`);
    }
  }
  throw last;
}

/** The base VM state the shipped deltas are made against: its file name and its bytes unpacked. */
export interface BaseState {
  file: string;
  raw: Uint8Array;
}

/** Reads the saved base state that matches public/vm's image (npm run vm:snapshot makes it). */
export async function readBaseState(): Promise<BaseState> {
  const image = await readImageManifest();
  const baseState = await readMatchingState(image);
  if (!baseState) throw new Error("no base VM state for this image: run npm run vm:snapshot first");
  const { stdout } = await run("zstd", ["-d", "-c", join(DEFAULT_STATE_DIR, baseState.file)], {
    encoding: "buffer",
    maxBuffer: MAX_BASE_BYTES,
  });
  return { file: baseState.file, raw: new Uint8Array(stdout) };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Where a packed state is stored and what the manifest says of it. */
export interface PackedTaskState {
  entry: ShippedStateEntry;
  /** The packed file in the delta cache (its content is what `entry.file` names). */
  path: string;
}

/**
 * The state kept under `key` in `cache`, packed as the site ships it: its delta against `base`,
 * zstd-packed, made once per key and base (kept in `deltaDir`), and its manifest entry.
 */
export async function packTaskState(
  key: string,
  base: BaseState,
  cache: FileTaskStateCache,
  deltaDir = DEFAULT_DELTA_CACHE_DIR,
): Promise<PackedTaskState> {
  const state = await cache.get(key);
  if (!state) throw new Error(`${key}: no state in ${cache.dir}`);
  const path = join(deltaDir, `${key}--${base.file}`);
  let packed: Uint8Array;
  try {
    packed = new Uint8Array(await readFile(path));
  } catch {
    await mkdir(deltaDir, { recursive: true });
    const raw = `${path}.${process.pid}.delta`;
    await writeFile(raw, encodeStateDelta(base.raw, new Uint8Array(state)));
    // NOTE: from a file, so that the frame records its size; renamed so a reader never sees half of it.
    await run("zstd", [...ZSTD_ARGS, "--rm", raw, "-o", `${raw}.zst`]);
    await rename(`${raw}.zst`, path);
    packed = new Uint8Array(await readFile(path));
  }
  const hash = sha256(packed);
  return {
    path,
    entry: {
      file: `${hash.slice(0, 16)}.zst`,
      bytes: packed.byteLength,
      sha256: hash,
      stateBytes: state.byteLength,
      stateSha256: sha256(new Uint8Array(state)),
    },
  };
}
