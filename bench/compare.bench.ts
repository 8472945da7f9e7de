// npm run bench:compare [-- --json]: can one tab run two emulators at once? Boots one VM, then a second, in Debian's Chromium, and prints the tab's memory and a command's time with one VM and with two.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { CDPSession, Page } from "playwright-core";
import { DIST_DIR, launchChromium, serveStatic } from "../e2e/support/browser";
import { printFigures, type Figure } from "./report";
import { median } from "../src/domain/median";

const { values } = parseArgs({ options: { json: { type: "boolean" } } });
const BOOT_TIMEOUT_MS = 240_000;
const COMMAND_TIMEOUT_MS = 120_000;
/** Times each command is run per measurement (the median is kept). */
const REPEATS = 3;
/**
 * The commands timed, by the key they are reported under: a quick look (mostly the guest channel's
 * round trip) and a guest-CPU-bound loop (what a second emulator takes from the first).
 */
const COMMANDS: Record<string, string> = {
  "ls /etc": "ls /etc > /dev/null",
  "cpu loop": "i=0; while [ $i -lt 5000 ]; do i=$((i+1)); done",
};

/** The page-side driver: starts VM workers straight from the built worker, with the worker protocol. */
const DRIVER = `
  window.__vms = [];
  window.__startVm = (workerUrl, vmUrl) => new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { type: "module" });
    const vm = { worker, nextId: 1, pending: new Map() };
    worker.onmessage = ({ data }) => {
      if (data.type === "started") { window.__vms.push(vm); resolve(window.__vms.length - 1); }
      else if (data.type === "start-failed") reject(new Error(data.error.message));
      else if (data.type === "result" || data.type === "failed") {
        const call = vm.pending.get(data.id);
        vm.pending.delete(data.id);
        if (call) data.type === "result" ? call.resolve(data.value) : call.reject(new Error(data.error.message));
      }
    };
    worker.onerror = (e) => reject(new Error("worker failed: " + e.message));
    worker.postMessage({ type: "start", vmUrl, warmUp: false, tuneJit: true, yieldOnSameThread: true });
  });
  window.__exec = (index, command, timeoutMs) => {
    const vm = window.__vms[index];
    const id = vm.nextId++;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      vm.pending.set(id, { resolve: (r) => resolve({ ms: performance.now() - started, exitCode: r.exitCode }), reject });
      vm.worker.postMessage({ type: "call", id, method: "exec", args: [command, { timeoutMs }] });
    });
  };
`;

interface Tab {
  page: Page;
  cdp: CDPSession;
  workerUrl: string;
  vmUrl: string;
}

const mib = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;

/** Boots one more VM in the tab; resolves with its index and its boot time (restore of the saved state). */
async function startVm(tab: Tab): Promise<{ index: number; bootMs: number }> {
  const started = Date.now();
  const index = await tab.page.evaluate(
    ([workerUrl, vmUrl]) =>
      (window as unknown as { __startVm: (w: string, v: string) => Promise<number> }).__startVm(
        workerUrl,
        vmUrl,
      ),
    [tab.workerUrl, tab.vmUrl] as const,
  );
  return { index, bootMs: Date.now() - started };
}

/** Runs `command` on each of the VMs at once, REPEATS times; the median time per VM, in ms. */
async function timeCommand(tab: Tab, vms: number[], command: string): Promise<number[]> {
  const times: number[][] = vms.map(() => []);
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const results = await tab.page.evaluate(
      ([indexes, line, timeoutMs]) => {
        const exec = (
          window as unknown as {
            __exec: (i: number, c: string, t: number) => Promise<{ ms: number; exitCode: number }>;
          }
        ).__exec;
        return Promise.all(indexes.map((i) => exec(i, line, timeoutMs)));
      },
      [vms, command, COMMAND_TIMEOUT_MS] as const,
    );
    results.forEach((result, i) => {
      if (result.exitCode !== 0) throw new Error(`"${command}" exited ${result.exitCode}`);
      times[i]!.push(result.ms);
    });
  }
  return times.map((t) => Math.round(median(t)));
}

/** The parent of a process, from /proc (undefined when it ended meanwhile). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // NOTE: after the command name in parentheses, which may hold spaces: state, then ppid.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** True when `pid` descends from this process (the browser the bench started, not another's). */
function isOurs(pid: number): boolean {
  for (let at = parentOf(pid); at !== undefined && at > 1; at = parentOf(at))
    if (at === process.pid) return true;
  return false;
}

/**
 * The resident and proportional memory of the bench browser's renderer processes (the tab, its workers
 * included) in bytes.
 */
function rendererMemory(): { rssBytes: number; pssBytes: number } {
  let rssBytes = 0;
  let pssBytes = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    if (!isOurs(Number(pid))) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmdline.includes("--type=renderer") || cmdline.includes("--extension-process")) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const kb = (field: string) =>
        Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(rollup)?.[1]);
      rssBytes += kb("Rss") * 1024;
      pssBytes += kb("Pss") * 1024;
    } catch {
      continue; // it ended meanwhile, or is not ours to read
    }
  }
  return { rssBytes, pssBytes };
}

/** The tab's memory as Chromium counts it (JS heap of the page) and as Linux does (the renderer process). */
async function tabMemory(tab: Tab): Promise<Record<string, number>> {
  const { metrics } = await tab.cdp.send("Performance.getMetrics");
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const { rssBytes, pssBytes } = rendererMemory();
  return {
    js_heap_used_mib: mib(metric("JSHeapUsedSize")),
    renderer_rss_mib: mib(rssBytes),
    renderer_pss_mib: mib(pssBytes),
  };
}

async function main(): Promise<void> {
  const workerFile = readdirSync(join(DIST_DIR, "assets")).find((f) =>
    /^vm\.worker-.*\.js$/.test(f),
  );
  if (!workerFile) throw new Error("dist/ has no VM worker: run `npx vite build` first");
  const server = await serveStatic(DIST_DIR);
  const browser = await launchChromium();
  const figures: Record<string, Figure> = {};
  try {
    const page = await browser.newPage();
    // A same-origin page that is not the app, so that the app's own VM does not boot beside the measured ones.
    await page.goto(`${server.url}vm/image.json`);
    await page.evaluate(DRIVER);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const tab: Tab = {
      page,
      cdp,
      workerUrl: `${server.url}assets/${workerFile}`,
      vmUrl: `${server.url}vm/`,
    };
    figures.memory_no_vm = await tabMemory(tab);
    const first = await startVm(tab);
    figures.boot_one_ms = first.bootMs;
    figures.memory_one_vm = await tabMemory(tab);
    const one: Record<string, number> = {};
    for (const [key, command] of Object.entries(COMMANDS))
      one[key] = (await timeCommand(tab, [first.index], command))[0]!;
    figures.command_one_vm_ms = one;
    const second = await startVm(tab);
    figures.boot_second_ms = second.bootMs;
    figures.memory_two_vms = await tabMemory(tab);
    const both: Record<string, number> = {};
    for (const [key, command] of Object.entries(COMMANDS)) {
      const [a, b] = await timeCommand(tab, [first.index, second.index], command);
      both[`${key} (first)`] = a!;
      both[`${key} (second)`] = b!;
    }
    figures.command_two_vms_at_once_ms = both;
    // The machine's load while measuring: the times are comparable within one run, not across busy runs.
    figures.host_load_1min = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } finally {
    await browser.close();
    await server.close();
  }
  printFigures(figures, {}, values.json === true);
}

await Promise.race([
  main(),
  new Promise((_, reject) =>
    setTimeout(() => reject(new Error("bench:compare timed out")), BOOT_TIMEOUT_MS * 3),
  ),
]);
process.exit(0);
