// npm run bench [-- --json] [-- --skip-cold]: VM speed and size figures in Node, each beside its target.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { printFigures } from "./report";
import {
  DEFAULT_VM_DIR,
  readImageManifest,
  readMatchingState,
  startNodeVm,
} from "../src/vm/node-vm";

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
const AGENT_PAUSE_MS = 300;

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

const figures: Record<string, number> = {};
const image = await readImageManifest();
const state = await readMatchingState(image);
if (!state) throw new Error("no saved state matches the image: run `npm run vm:snapshot` first");

if (!values["skip-cold"]) {
  log("cold boot...");
  const [coldMs, coldVm] = await timed(() => startNodeVm({ cold: true }));
  figures.cold_boot_ms = coldMs;
  await coldVm.destroy();
}

log("restore...");
const [restoreMs, vm] = await timed(async () => {
  const started = await startNodeVm();
  await started.exec("true");
  return started;
});
figures.restore_to_first_command_ms = restoreMs;

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

const tree = await imageSize(DEFAULT_VM_DIR);
figures.state_zst_bytes = state.bytes;
figures.image_bytes = tree.bytes;
figures.image_files = tree.files;

/** Targets from the issue; a figure without one is informational. */
const targets: Record<string, number> = {
  restore_to_first_command_ms: 2000,
  exec_true_p50_ms: 30,
  reset_ms: 2000,
  state_zst_bytes: 15 * 1024 * 1024,
  image_bytes: 80 * 1024 * 1024,
};

printFigures(figures, targets, values.json ?? false);
process.exit(0);
