// npm run bench:task-state [-- --json] [-- --runs N] [task folder...]: time to ready a task from its
// cached state (restore) against a fresh setup (reset, fixtures, setup.sh), in one VM in Node.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { printFigures } from "./report";
import { loadTaskFolder } from "../src/tasks/node-loader";
import { FileTaskStateCache } from "../src/tasks/node-state-cache";
import { setUpTask } from "../src/tasks/runner";
import { readyTask } from "../src/tasks/task-state";
import { readImageManifest, startNodeVm } from "../src/vm/driver/node-vm";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "boolean" }, runs: { type: "string" } },
});
const RUNS = Number(values.runs ?? 3);
const DEFAULT_TASKS = ["tasks/sysadmin/nginx-reports-403"];
/** The aim: a retry starts in about a second. */
const READY_FROM_CACHE_TARGET_MS = 1000;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const log = (text: string): void => {
  if (!values.json) console.error(text);
};

const imageId = (await readImageManifest()).imageId;
const dir = await mkdtemp(join(tmpdir(), "task-states-"));
const cache = new FileTaskStateCache(dir);
const figures: Record<string, number> = {};
const targets: Record<string, number> = {};
const vm = await startNodeVm();
try {
  for (const folder of positionals.length ? positionals : DEFAULT_TASKS) {
    const task = await loadTaskFolder(resolve(folder));
    const id = task.meta.id;
    log(`${id}: fresh setup x ${RUNS}...`);
    const fresh: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = Date.now();
      await vm.reset();
      await setUpTask(vm, task);
      await vm.exec("true");
      fresh.push(Date.now() - started);
    }
    log(`${id}: first start (setup and save), then ${RUNS} starts from the cache...`);
    const first = await readyTask(vm, task, { cache, imageId });
    if (first.source !== "setup") throw new Error(`${id}: the first start came from the cache`);
    const cached: number[] = [];
    const firstCommand: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await vm.reset();
      const started = Date.now();
      const ready = await readyTask(vm, task, { cache, imageId });
      if (ready.source !== "cache") throw new Error(`${id}: a retry did not come from the cache`);
      cached.push(ready.readyMs);
      await vm.exec("true");
      firstCommand.push(Date.now() - started);
    }
    figures[`${id}.fresh_setup_ms`] = median(fresh);
    figures[`${id}.first_start_with_save_ms`] = first.readyMs;
    figures[`${id}.save_ms`] = first.saveMs ?? NaN;
    figures[`${id}.ready_from_cache_ms`] = median(cached);
    figures[`${id}.first_command_from_cache_ms`] = median(firstCommand);
    figures[`${id}.state_bytes`] = first.stateBytes;
    targets[`${id}.ready_from_cache_ms`] = READY_FROM_CACHE_TARGET_MS;
  }
} finally {
  await vm.destroy();
  await rm(dir, { recursive: true, force: true });
}
printFigures(figures, targets, values.json ?? false);
process.exit(0);
