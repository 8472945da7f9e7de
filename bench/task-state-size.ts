// npm run bench:task-state-size [-- --json] [-- --full] [task id...]: sizes of the task states in .cache/task-states, raw and
// compressed, whole and as a delta against the base VM state (npm run build:task-states readies them).
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "fflate";
import { DEFAULT_TASK_STATE_DIR } from "../src/tasks/node-state-cache";
import { readImageManifest, readMatchingState, DEFAULT_STATE_DIR } from "../src/vm/driver/node-vm";
import { applyStateDelta, encodeStateDelta } from "../src/vm/state/state-delta";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "boolean" }, full: { type: "boolean" } },
});
/** zstd as vm:snapshot packs the base state (level 19, 128 MiB window). */
const ZSTD_ARGS = ["-q", "-19", "--long=27", "-T0", "-c"];

function zstdBytes(path: string, extra: string[] = []): number {
  return execFileSync("zstd", [...ZSTD_ARGS, ...extra, path], { maxBuffer: 1 << 30 }).byteLength;
}

const image = await readImageManifest();
const baseManifest = await readMatchingState(image);
if (!baseManifest) throw new Error("no base VM state for this image: run npm run vm:snapshot");
const base = new Uint8Array(
  execFileSync("zstd", ["-d", "-c", join(DEFAULT_STATE_DIR, baseManifest.file)], {
    maxBuffer: 1 << 30,
  }),
);
const dir = await mkdtemp(join(tmpdir(), "task-state-size-"));
const rawBase = join(dir, "base.raw");
await writeFile(rawBase, base);
const rows: Record<string, number | string>[] = [];
try {
  const names = (await readdir(DEFAULT_TASK_STATE_DIR)).filter(
    (n) =>
      n.endsWith(".state") &&
      (!positionals.length || positionals.some((id) => n.startsWith(`${id}-`))),
  );
  for (const name of names) {
    const path = join(DEFAULT_TASK_STATE_DIR, name);
    const state = new Uint8Array(await readFile(path));
    const encodeStarted = performance.now();
    const delta = encodeStateDelta(base, state);
    const encodeMs = performance.now() - encodeStarted;
    const applyStarted = performance.now();
    const rebuilt = applyStateDelta(base, delta);
    const applyMs = performance.now() - applyStarted;
    if (Buffer.compare(rebuilt, state) !== 0)
      throw new Error(`${name}: the delta does not round-trip`);
    const deltaPath = join(dir, "delta");
    await writeFile(deltaPath, delta);
    const row: Record<string, number | string> = {
      task: name.split("-").slice(0, -4).join("-"),
      raw: state.byteLength,
      delta_raw: delta.byteLength,
      delta_gzip9: gzipSync(delta, { level: 9 }).byteLength,
      delta_zstd19: zstdBytes(deltaPath),
      encode_ms: Math.round(encodeMs),
      apply_ms: Math.round(applyMs),
    };
    if (values.full) {
      // The whole state, not a delta: as the base is shipped, and zstd's own delta (which no page decodes).
      row.gzip6 = gzipSync(state, { level: 6 }).byteLength;
      row.zstd19 = zstdBytes(path);
      row.zstd19_patch_from_base = zstdBytes(path, [`--patch-from=${rawBase}`]);
    }
    rows.push(row);
    if (!values.json) console.error(JSON.stringify(row));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (values.json) console.log(JSON.stringify({ base_zstd: baseManifest.bytes, rows }, null, 2));
else console.table(rows);
