// npm run bench:task-state-size [-- --json] [-- --full] [task id...]: sizes of the task states in .cache/task-states, raw and
// as zstd patches against the base VM state at the dev and shipped levels, and (--full) packed whole.
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "fflate";
import {
  DEV_PATCH_LEVEL,
  readBaseState,
  SHIPPED_PATCH_LEVEL,
} from "../src/cli/task-state-shipping";
import { DEFAULT_TASK_STATE_DIR } from "../src/tasks/node-state-cache";
import { DEFAULT_STATE_DIR } from "../src/vm/driver/node-vm";
import { unzstdPatch } from "../src/vm/state/base-state";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "boolean" }, full: { type: "boolean" } },
});
/** zstd's output of `path` with `args`, and how long zstd took. */
function zstd(path: string, args: string[]): { packed: Uint8Array; ms: number } {
  const started = performance.now();
  const packed = execFileSync("zstd", ["-q", "-c", ...args, path], { maxBuffer: 1 << 30 });
  return { packed: new Uint8Array(packed), ms: Math.round(performance.now() - started) };
}

const { file: baseFile, raw: base } = await readBaseState();
const baseZstdBytes = (await stat(join(DEFAULT_STATE_DIR, baseFile))).size;
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
    const row: Record<string, number | string> = {
      task: name.split("-").slice(0, -4).join("-"),
      raw: state.byteLength,
    };
    for (const level of [DEV_PATCH_LEVEL, SHIPPED_PATCH_LEVEL]) {
      // As build:task-states and npm run dev pack them (task-state-shipping.ts), and as the page unpacks.
      const { packed, ms } = zstd(path, [`-${level}`, `--patch-from=${rawBase}`]);
      const unpackStarted = performance.now();
      const rebuilt = await unzstdPatch(packed, base);
      const unpackMs = Math.round(performance.now() - unpackStarted);
      if (Buffer.compare(rebuilt, state) !== 0)
        throw new Error(`${name}: the level-${level} patch does not round-trip`);
      Object.assign(row, {
        [`patch_${level}`]: packed.byteLength,
        [`pack_${level}_ms`]: ms,
        [`unpack_${level}_ms`]: unpackMs,
      });
    }
    if (values.full) {
      // The whole state, not a patch: as the base is shipped.
      row.gzip6 = gzipSync(state, { level: 6 }).byteLength;
      row.zstd19 = zstd(path, ["-19", "--long=27", "-T0"]).packed.byteLength;
    }
    rows.push(row);
    if (!values.json) console.error(JSON.stringify(row));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (values.json) console.log(JSON.stringify({ base_zstd: baseZstdBytes, rows }, null, 2));
else console.table(rows);
