// Integration: a task's second start comes from the state saved after its setup, in a new VM (and from its shipped patch), and is still unsolved.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskBundle } from "../domain/task";
import { rebuildState } from "../vm/state/rebuild";
import {
  DEFAULT_STATE_DIR,
  readImageManifest,
  readMatchingState,
  startNodeVm,
} from "../vm/driver/node-vm";
import type { V86Vm } from "../vm/driver/v86-vm";
import { loadTaskFolder } from "./node-loader";
import { FileTaskStateCache } from "./node-state-cache";
import { takeIntegrityBaseline } from "./grading/integrity";
import { gradeTask, runSolution } from "./runner";
import { SHIPPED_MANIFEST_VERSION, ShippedTaskStates, sha256Hex } from "./shipped-states";
import { MemoryTaskStateCache, readyTask } from "./task-state";
import { unzstd, unzstdPatch } from "../vm/state/base-state";

const TASK_DIR = resolve(import.meta.dirname, "../../tasks/sysadmin/nginx-reports-403");
let vm: V86Vm | undefined;
let dir: string;
let task: TaskBundle;
let imageId: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "task-states-"));
  task = await loadTaskFolder(TASK_DIR);
  imageId = (await readImageManifest()).imageId;
});

afterAll(async () => {
  await vm?.destroy();
  await rm(dir, { recursive: true, force: true });
});

/** The base VM state the VMs here restore, uncompressed, as the page decodes it. */
async function rawBaseState(): Promise<{ file: string; raw: Uint8Array }> {
  const state = await readMatchingState(await readImageManifest());
  if (!state) throw new Error("no base VM state: run npm run vm:snapshot");
  const packed = new Uint8Array(await readFile(join(DEFAULT_STATE_DIR, state.file)));
  return { file: state.file, raw: await unzstd(packed) };
}

/**
 * `state` as the build ships it (a zstd patch against the base: task-state-shipping.ts), at a fast
 * level. NOTE: made here with zstd's CLI, as the build does, since src/tasks/ may not import src/cli/.
 */
async function patchAgainst(base: Uint8Array, state: Uint8Array): Promise<Uint8Array> {
  await writeFile(join(dir, "base.raw"), base);
  await writeFile(join(dir, "state.raw"), state);
  const paths = ["base.raw", "state.raw", "state.zst"].map((name) => join(dir, name));
  await promisify(execFile)("zstd", [
    "-q",
    "-f",
    "-3",
    `--patch-from=${paths[0]}`,
    paths[1]!,
    "-o",
    paths[2]!,
  ]);
  return new Uint8Array(await readFile(paths[2]!));
}

describe("per-task states", () => {
  it(
    "sets up and saves on the first start, restores on the second in a new VM, and the grader still fails",
    { timeout: 600_000 },
    async () => {
      const cache = new FileTaskStateCache(dir);
      vm = await startNodeVm();
      const first = await readyTask(vm, task, { cache, imageId });
      expect(first.source).toBe("setup");
      expect(await cache.get(first.key)).toBeDefined();
      await vm.destroy();

      // A retry starts a new emulator, as a reloaded page would.
      vm = await startNodeVm();
      const second = await readyTask(vm, task, { cache, imageId });
      expect(second).toMatchObject({ source: "cache", key: first.key });
      expect(second.readyMs).toBeLessThan(first.readyMs);
      await vm.destroy();

      // A first visit elsewhere: nothing cached, the state rebuilt from its patch against the base.
      const base = await rawBaseState();
      const patch = await patchAgainst(base.raw, new Uint8Array((await cache.get(first.key))!));
      const shipped = new ShippedTaskStates({
        manifest: async () => ({
          version: SHIPPED_MANIFEST_VERSION,
          base: base.file,
          states: {
            [first.key]: {
              file: `${(await sha256Hex(patch)).slice(0, 16)}.zst`,
              bytes: patch.byteLength,
              sha256: await sha256Hex(patch),
              stateBytes: first.stateBytes,
              stateSha256: await sha256Hex(new Uint8Array((await cache.get(first.key))!)),
            },
          },
        }),
        file: async () => patch,
        baseFile: async () => base.file,
        rebuild: (bytes) => rebuildState(base.raw, bytes, unzstdPatch),
      });
      vm = await startNodeVm();
      const third = await readyTask(vm, task, {
        cache: new MemoryTaskStateCache(),
        imageId,
        shipped,
      });
      expect(third).toMatchObject({ source: "shipped", key: first.key });

      const baseline = await takeIntegrityBaseline(vm);
      const unsolved = await gradeTask(vm, task, { baseline });
      expect(unsolved.passed).toBe(false);
      const failed = unsolved.checks.filter((c) => !c.passed).map((c) => c.text);
      expect(failed).toContain("the reports page answers 200");
      const folder = await vm.exec("stat -c %a /srv/reports");
      expect(folder.stdout.trim()).toBe("700");

      await runSolution(vm, task);
      const solved = await gradeTask(vm, task, { baseline });
      expect(solved.integrity?.findings).toEqual([]);
      expect(solved.passed).toBe(true);

      // reset goes back to the VM's base state, not to the task's.
      await vm.reset();
      expect((await vm.exec("test -e /srv/reports")).exitCode).not.toBe(0);
    },
  );

  it(
    "restores a cloud task with the credentials its setup added, and its reference still passes",
    { timeout: 600_000 },
    async () => {
      // backup-snapshot-denied's setup adds a [backup] profile to the agent's credentials, which a
      // restore once overwrote with cloud.json's (its reference then failed: no credentials).
      const cloudTask = await loadTaskFolder(
        resolve(import.meta.dirname, "../../tasks/cloud/backup-snapshot-denied"),
      );
      const cache = new MemoryTaskStateCache();
      await vm?.destroy();
      vm = await startNodeVm();
      expect((await readyTask(vm, cloudTask, { cache, imageId })).source).toBe("setup");
      expect((await readyTask(vm, cloudTask, { cache, imageId })).source).toBe("cache");
      const baseline = await takeIntegrityBaseline(vm);
      await runSolution(vm, cloudTask);
      const solved = await gradeTask(vm, cloudTask, { baseline });
      expect(solved.checks.filter((c) => !c.passed)).toEqual([]);
      expect(solved.passed).toBe(true);
    },
  );
});
