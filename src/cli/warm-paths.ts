// npm run vm:warm-paths [-- --tasks DIR] [--out FILE]: which image files common commands and the tasks
// read after a restore, ordered by how many of them need each; writes src/vm/warm-up/warm-paths.json.
import { stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCatalogue } from "../tasks/node-loader";
import { gradeTask, runSolution, setUpTask } from "../tasks/runner";
import type { FileFetch } from "../vm/driver/file-fetches";
import { DEFAULT_VM_DIR, readImageManifest, startNodeVm } from "../vm/driver/node-vm";
import { WARM_PATHS_VERSION, type WarmFile, type WarmPaths } from "../vm/warm-up/warm-paths";

/** What people and agents type first; each runs alone in a freshly restored VM. */
export const COMMON_COMMANDS = [
  "dig +time=1 +tries=1 @127.0.0.1 localhost",
  "curl -s localhost",
  "python3 -c 1",
  "systemctl --version",
  "systemctl status --no-pager nginx",
  "journalctl -n 20 --no-pager",
  "ip addr; ip route",
  "ss -ltnp",
  "iptables -S",
  "nft list ruleset",
  "ps aux",
  "ping -c 1 127.0.0.1",
  "nginx -t",
  "ls -la /etc; cat /etc/os-release",
  "grep -rn root /etc/passwd | sed 's/x/y/' | awk '{print $1}' | sort | uniq | head",
  "top -b -n 1 | head",
  "df -h; free -m",
  "lsof -i",
  "sudo -n true",
  "tcpdump --version",
  "strace -V",
  "python3 -m http.server --help",
];
const COMMAND_TIMEOUT_MS = 60_000;

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: resolve(import.meta.dirname, "../../tasks") },
    out: { type: "string", default: resolve(import.meta.dirname, "../vm/warm-up/warm-paths.json") },
  },
});

const image = await readImageManifest();
const blobDir = join(DEFAULT_VM_DIR, image.blobDir);
let current: Map<string, FileFetch> = new Map();
const vm = await startNodeVm({
  onFileFetch: (fetch) => {
    if (!current.has(fetch.path)) current.set(fetch.path, fetch);
  },
});

/** Each scenario's reads, in the order they happened. */
const runs: { scenario: string; fetches: FileFetch[] }[] = [];
async function measure(scenario: string, run: () => Promise<unknown>): Promise<void> {
  await vm.reset();
  current = new Map();
  const started = Date.now();
  try {
    await run();
  } catch (error) {
    console.error(`  (${scenario} failed: ${(error as Error).message.split("\n")[0]})`);
  }
  const fetches = [...current.values()];
  runs.push({ scenario, fetches });
  const mb = fetches.reduce((n, f) => n + f.bytes, 0) / 1e6;
  console.error(
    `${scenario}: ${fetches.length} files, ${mb.toFixed(1)} MB, ${Date.now() - started} ms`,
  );
}

for (const command of COMMON_COMMANDS) {
  await measure(command, () => vm.exec(command, { timeoutMs: COMMAND_TIMEOUT_MS }));
}
const { tasks, errors } = await loadCatalogue(values.tasks);
for (const error of errors) console.error(`skipped: ${error.message}`);
for (const task of tasks) {
  await measure(`task ${task.meta.id}`, async () => {
    await setUpTask(vm, task);
    await runSolution(vm, task);
    await gradeTask(vm, task);
  });
}
await vm.destroy();

// NOTE: order: most scenarios first; ties in the order first read (earlier scenarios first).
const byPath = new Map<string, { fetch: FileFetch; uses: number; first: number }>();
let order = 0;
for (const { fetches } of runs) {
  for (const fetch of fetches) {
    const entry = byPath.get(fetch.path);
    if (entry) entry.uses++;
    else byPath.set(fetch.path, { fetch, uses: 1, first: order++ });
  }
}
const ranked = [...byPath.values()].sort((a, b) => b.uses - a.uses || a.first - b.first);
const files: WarmFile[] = [];
for (const { fetch, uses } of ranked) {
  const blobBytes = (await stat(join(blobDir, fetch.blob))).size;
  files.push({ path: fetch.path, bytes: fetch.bytes, blobBytes, uses });
}
const list: WarmPaths = {
  version: WARM_PATHS_VERSION,
  imageId: image.imageId,
  scenarios: runs.map((r) => r.scenario),
  totalBytes: files.reduce((n, f) => n + f.bytes, 0),
  totalBlobBytes: files.reduce((n, f) => n + f.blobBytes, 0),
  files,
};
await writeFile(values.out, JSON.stringify(list, null, 2) + "\n");
console.error(
  `${values.out}: ${files.length} files, ${(list.totalBytes / 1e6).toFixed(1)} MB in the guest, ` +
    `${(list.totalBlobBytes / 1e6).toFixed(1)} MB of blobs, from ${runs.length} scenarios`,
);
process.exit(0);
