// Readying one task's state in Node and packing it as shipped (a zstd patch against the base): the build's steps, shared with npm run dev.
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { TaskBundle } from "../domain/task";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import type { ShippedStateEntry } from "../tasks/shipped-states";
import { setUpAndSaveState } from "../tasks/task-state";
import { DEFAULT_STATE_DIR, readImageManifest, readMatchingState } from "../vm/driver/node-vm";
import { unzstdPatch } from "../vm/state/base-state";
import type { Vm } from "../vm/vm";

const run = promisify(execFile);

const REPO_DIR = resolve(import.meta.dirname, "../..");
/** Packed patches by task-state key and base (not committed; made again when the base changes). */
export const DEFAULT_PATCH_CACHE_DIR = join(REPO_DIR, ".cache/shipped-task-states");
/** Tries at setting a task up before giving up on shipping its state. */
export const READY_ATTEMPTS = 2;
/**
 * zstd's level for the patches the site ships: 19 makes them 13 to 35% smaller than 9 (19 tasks), at 11
 * to 22 s each against 0.4 to 0.9 s; the build makes each once per task and base.
 */
export const SHIPPED_PATCH_LEVEL = 19;
/** zstd's level for the patches npm run dev makes on demand, while a task author waits for them. */
export const DEV_PATCH_LEVEL = 9;
/**
 * NOTE: --patch-from sizes zstd's window to the base and the state together, and the page's decoder
 * (zstd's default limit, 128 MiB) accepts it while the two stay under that (35 + 45 MB today).
 */
const ZSTD_ARGS = ["-q", "-f"];
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
  /** The packed file in the patch cache (its content is what `entry.file` names). */
  path: string;
}

/** Writes `bytes` to `path` whole or not at all (a reader never sees half of it). */
async function writeWhole(path: string, bytes: Uint8Array): Promise<void> {
  const part = `${path}.${randomUUID()}.part`;
  await writeFile(part, bytes);
  await rename(part, path);
}

const unpackedBases = new Map<string, Promise<string>>();

/**
 * The base's bytes unpacked, as a file beside the patches (zstd reads its reference from a file);
 * written once per process and folder, however many patches are packed at once.
 */
function baseFileUnpacked(base: BaseState, dir: string): Promise<string> {
  const path = join(dir, `${base.file}.raw`);
  let written = unpackedBases.get(path);
  if (!written) {
    written = (async () => {
      const size = await stat(path).then(
        (s) => s.size,
        () => undefined,
      );
      if (size !== base.raw.byteLength) await writeWhole(path, base.raw);
      return path;
    })();
    unpackedBases.set(path, written);
    written.catch(() => unpackedBases.delete(path));
  }
  return written;
}

/**
 * The state kept under `key` in `cache`, packed as the site ships it: a zstd patch against `base`
 * (zstd --patch-from, which finds what the state shares with the base at any offset) at `level`, made
 * once per key, base and level (kept in `patchDir`), and its manifest entry.
 */
export async function packTaskState(
  key: string,
  base: BaseState,
  cache: FileTaskStateCache,
  { patchDir = DEFAULT_PATCH_CACHE_DIR, level = SHIPPED_PATCH_LEVEL } = {},
): Promise<PackedTaskState> {
  const state = await cache.get(key);
  if (!state) throw new Error(`${key}: no state in ${cache.dir}`);
  const stateSha256 = sha256(new Uint8Array(state));
  const path = join(patchDir, `${key}--${base.file}--${level}`);
  let packed: Uint8Array;
  try {
    packed = new Uint8Array(await readFile(path));
  } catch {
    await mkdir(patchDir, { recursive: true });
    const reference = await baseFileUnpacked(base, patchDir);
    const raw = `${path}.${randomUUID()}.state`;
    const made = `${raw}.zst`;
    try {
      // NOTE: from a file, so that the frame records its size; renamed so a reader never sees half of it.
      await writeFile(raw, new Uint8Array(state));
      await run("zstd", [...ZSTD_ARGS, `-${level}`, `--patch-from=${reference}`, raw, "-o", made]);
      packed = new Uint8Array(await readFile(made));
      // NOTE: unpacked here as the page will (its decoder, its window limit) before it is kept or shipped.
      const rebuilt = await unzstdPatch(packed, base.raw).catch((error: unknown) => {
        throw new Error(`${key}: its patch does not unpack: ${(error as Error).message}`);
      });
      if (sha256(rebuilt) !== stateSha256)
        throw new Error(`${key}: its patch unpacks to another state`);
      await rename(made, path);
    } finally {
      await Promise.all([rm(raw, { force: true }), rm(made, { force: true })]);
    }
  }
  const hash = sha256(packed);
  return {
    path,
    entry: {
      file: `${hash.slice(0, 16)}.zst`,
      bytes: packed.byteLength,
      sha256: hash,
      stateBytes: state.byteLength,
      stateSha256,
    },
  };
}
