// npm run bench [-- --json] [-- --skip-cold]: VM speed and size figures in Node, each beside its target,
// the JIT tuning against v86's own settings, a restore that keeps the JIT against one into a new emulator,
// and cold boot, idle host CPU and state size of the stock
// Debian kernel's image (image-debian.json) as `_debian` twins.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEBIAN_TWIN_SUFFIX, printFigures, type Figure } from "./report";
import { DEBIAN_IMAGE_MANIFEST_FILE, IMAGE_MANIFEST_FILE } from "../src/vm/image";
import {
  DEFAULT_VM_DIR,
  readImageManifest,
  readMatchingState,
  startNodeVm,
} from "../src/vm/driver/node-vm";
import type { V86Vm } from "../src/vm/driver/v86-vm";

const { values } = parseArgs({
  options: {
    json: { type: "boolean" },
    "skip-cold": { type: "boolean" },
    runs: { type: "string" },
  },
});
const EXEC_RUNS = Number(values.runs ?? 100);
const FIRST_COMMANDS = 20;
const RESET_RUNS = 5;
/** Commands run one after the other right after a restore, as an agent's first commands are. */
const FIRST_RUNS: Record<string, { command: string; runs: number }> = {
  "python3 -c 1 x5": { command: "python3 -c 1", runs: 5 },
  dig: { command: "dig +time=1 +tries=1 -p 9 @127.0.0.1 localhost", runs: 1 },
  "curl -s localhost": { command: "curl -s localhost", runs: 1 },
  "python3 loop": { command: "python3 -c 'sum(i*i for i in range(2000000))'", runs: 1 },
};
const AGENT_PAUSE_MS = 300;
/** The idle window: host CPU of this process while the restored guest does nothing. */
const IDLE_WINDOW_MS = 30_000;
/** Lets the restored guest finish what the restore woke up before the idle window opens. */
const IDLE_SETTLE_MS = 3_000;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [Math.round(performance.now() - started), value];
}

/** Bytes and files of the committed image (the state, made on demand, lives elsewhere). */
async function imageSize(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      bytes += (await stat(join(entry.parentPath, entry.name))).size;
      files++;
    }
  }
  return { bytes, files };
}

const log = (text: string): void => {
  if (!values.json) console.error(text);
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Host CPU (user + system, all threads of this process) over the window, in percent of one core. */
async function idleCpuPercent(): Promise<number> {
  await sleep(IDLE_SETTLE_MS);
  const before = process.cpuUsage();
  const started = performance.now();
  await sleep(IDLE_WINDOW_MS);
  const used = process.cpuUsage(before);
  const elapsedUs = (performance.now() - started) * 1000;
  return Math.round(((used.user + used.system) / elapsedUs) * 1000) / 10;
}

/** Cold boot, idle CPU after restore and state size of one image; returns the restored VM. */
async function imageFigures(imageManifest: string, suffix: string): Promise<V86Vm> {
  const image = await readImageManifest(DEFAULT_VM_DIR, imageManifest);
  const state = await readMatchingState(image, undefined, imageManifest);
  if (!state) {
    const flag = imageManifest === IMAGE_MANIFEST_FILE ? "" : ` -- --image ${imageManifest}`;
    throw new Error(
      `no saved state matches ${imageManifest}: run \`npm run vm:snapshot${flag}\` first`,
    );
  }
  figures[`state_zst_bytes${suffix}`] = state.bytes;
  if (!values["skip-cold"]) {
    log(`${imageManifest}: cold boot...`);
    const [coldMs, coldVm] = await timed(() => startNodeVm({ imageManifest, cold: true }));
    figures[`cold_boot_ms${suffix}`] = coldMs;
    await coldVm.destroy();
  }
  log(`${imageManifest}: restore...`);
  const [restoreMs, vm] = await timed(async () => {
    const started = await startNodeVm({ imageManifest });
    await started.exec("true");
    return started;
  });
  figures[`restore_to_first_command_ms${suffix}`] = restoreMs;
  log(`${imageManifest}: idle ${IDLE_WINDOW_MS / 1000} s...`);
  figures[`idle_cpu_percent${suffix}`] = await idleCpuPercent();
  return vm;
}

/** Milliseconds of each of FIRST_RUNS right after a restore (all its runs together), in a VM of its own. */
async function firstRuns(tuneJit: boolean): Promise<Record<string, number>> {
  const vm = await startNodeVm({ tuneJit });
  const times = await runFirstRuns(vm);
  await vm.destroy();
  return times;
}

async function runFirstRuns(vm: V86Vm): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  for (const [name, { command, runs }] of Object.entries(FIRST_RUNS)) {
    times[name] = 0;
    for (let i = 0; i < runs; i++)
      times[name] += (await timed(() => vm.exec(command, { timeoutMs: 120_000 })))[0];
  }
  return times;
}

/**
 * FIRST_RUNS again right after restoring a state saved once they had run (as verification restores a
 * task's state for each attempt): into the running emulator with its JIT kept (warm-restore.ts), or
 * into a new emulator (warmRestore off, as every restore was before). Returns the restore's and the
 * runs' milliseconds.
 */
async function runsAfterRestore(warmRestore: boolean) {
  const vm = await startNodeVm({ warmRestore });
  await runFirstRuns(vm);
  const state = await vm.saveState();
  await vm.exec("ls -R /usr/share >/dev/null; python3 -c 'import json'", { timeoutMs: 120_000 });
  const [restoreMs] = await timed(() => vm.restoreState(state));
  if (vm.lastRestoreKind?.warm !== warmRestore)
    throw new Error(
      `asked for warmRestore ${warmRestore}, got ${JSON.stringify(vm.lastRestoreKind)}`,
    );
  const times = await runFirstRuns(vm);
  await vm.destroy();
  return { restoreMs, times };
}

const figures: Record<string, Figure> = {};
await (await imageFigures(DEBIAN_IMAGE_MANIFEST_FILE, DEBIAN_TWIN_SUFFIX)).destroy();
const vm = await imageFigures(IMAGE_MANIFEST_FILE, "");

log(`exec /bin/true x ${EXEC_RUNS}...`);
const builtinMs: number[] = [];
const trueMs: number[] = [];
for (let i = 0; i < EXEC_RUNS; i++) {
  trueMs.push((await timed(() => vm.exec("/bin/true")))[0]);
}
// As an agent runs them: a pause between commands (its model thinking) lets the next shell start.
const pacedMs: number[] = [];
for (let i = 0; i < EXEC_RUNS / 4; i++) {
  await new Promise((resolve) => setTimeout(resolve, AGENT_PAUSE_MS));
  pacedMs.push((await timed(() => vm.exec("/bin/true")))[0]);
}
figures.exec_true_paced_p50_ms = percentile(pacedMs, 50);
// Baseline in the same run: a shell builtin costs the channel and one bash, no extra process.
for (let i = 0; i < EXEC_RUNS / 4; i++) builtinMs.push((await timed(() => vm.exec(":")))[0]);
figures.exec_true_first20_p50_ms = percentile(trueMs.slice(0, FIRST_COMMANDS), 50);
figures.exec_true_p50_ms = percentile(trueMs.slice(FIRST_COMMANDS), 50);
figures.exec_true_p95_ms = percentile(trueMs.slice(FIRST_COMMANDS), 95);
figures.exec_builtin_p50_ms = percentile(builtinMs, 50);

log("1 MB of output...");
const [mbMs, mb] = await timed(() =>
  vm.exec("head -c 1000000 /dev/zero", { maxOutputBytes: 1_000_000, timeoutMs: 60_000 }),
);
if (mb.raw.stdout.length !== 1_000_000)
  throw new Error(`1 MB output came back as ${mb.raw.stdout.length} bytes`);
figures.exec_1mb_output_ms = mbMs;

log(`reset x ${RESET_RUNS}...`);
const resetMs: number[] = [];
for (let i = 0; i < RESET_RUNS; i++) resetMs.push((await timed(() => vm.reset()))[0]);
figures.reset_ms = percentile(resetMs, 50);
await vm.destroy();

log("first runs after a restore, with the JIT tuned and with v86's own settings, twice each...");
const untuned = [await firstRuns(false)];
const tuned = [await firstRuns(true)];
untuned.push(await firstRuns(false));
tuned.push(await firstRuns(true));
const best = (runs: Record<string, number>[]): Record<string, number> =>
  Object.fromEntries(
    Object.keys(FIRST_RUNS).map((name) => [name, Math.min(...runs.map((r) => r[name] ?? NaN))]),
  );
figures.first_runs_ms = best(tuned);
figures.first_runs_ms_v86_jit = best(untuned);

log(
  "first runs after restoring a state saved when they had run: JIT kept, and a new emulator, twice each...",
);
const keptJit: Awaited<ReturnType<typeof runsAfterRestore>>[] = [];
const newEmulator: typeof keptJit = [];
for (const warmRestore of [true, false, false, true])
  (warmRestore ? keptJit : newEmulator).push(await runsAfterRestore(warmRestore));
figures.first_runs_ms_after_warm_restore = best(keptJit.map((r) => r.times));
figures.first_runs_ms_after_new_emulator_restore = best(newEmulator.map((r) => r.times));
figures.restore_ms_warm = Math.min(...keptJit.map((r) => r.restoreMs));
figures.restore_ms_new_emulator = Math.min(...newEmulator.map((r) => r.restoreMs));

const tree = await imageSize(DEFAULT_VM_DIR);
figures.image_bytes = tree.bytes;
figures.image_files = tree.files;

/** Targets from the issue; a figure without one is informational. */
const targets: Record<string, number> = {
  cold_boot_ms: 20_000,
  idle_cpu_percent: 5,
  restore_to_first_command_ms: 2000,
  exec_true_p50_ms: 30,
  reset_ms: 2000,
  state_zst_bytes: 10 * 1024 * 1024,
  image_bytes: 80 * 1024 * 1024,
};

printFigures(figures, targets, values.json ?? false);
process.exit(0);
