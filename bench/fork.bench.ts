// npm run bench:fork [-- --json] [-- --task folder]: forking a run at its last step by replay (ready + replay
// steps 1..N) against per-step snapshots kept during the run (save_state after each step, restore at fork),
// for a 3-step and a 20-step scripted run, in one VM in Node.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { printFigures, type Figure } from "./report";
import type { AgentEvent } from "../src/agent/loop";
import { ScriptedClient } from "../src/agent/scripted-client";
import { runTool } from "../src/agent/tools";
import type { RunRecord } from "../src/domain/run";
import type { TaskBundle } from "../src/domain/task";
import { limitsForTask, recordRun, runTaskWithAgent } from "../src/tasks/agent-run";
import { forkRun } from "../src/tasks/fork-run";
import { loadTaskFolder } from "../src/tasks/node-loader";
import { MemoryTaskStateCache, readyTask, type ReadyTaskOptions } from "../src/tasks/task-state";
import { readImageManifest, startNodeVm } from "../src/vm/driver/node-vm";
import type { Vm } from "../src/vm/vm";

const { values } = parseArgs({
  options: {
    json: { type: "boolean" },
    task: { type: "string", default: "tasks/sysadmin/nginx-reports-403" },
  },
});
const RUN_LENGTHS = [3, 20];
/** What an agent's investigating and fixing commands look like: reads, a service query, small writes. */
const COMMANDS = [
  "cat /etc/nginx/nginx.conf > /dev/null",
  "systemctl is-active nginx",
  "ls -la /var/www",
  "grep -rn listen /etc/nginx/sites-enabled || true",
  "echo note >> /root/notes.txt",
];
const commandAt = (step: number) =>
  `${COMMANDS[(step - 1) % COMMANDS.length]}; touch /root/step${step}`;
const MIB = 1024 * 1024;

const log = (text: string): void => {
  if (!values.json) console.error(text);
};

async function recordScripted(
  vm: Vm,
  task: TaskBundle,
  steps: number,
  stateCache: ReadyTaskOptions,
): Promise<RunRecord> {
  const client = new ScriptedClient(
    Array.from({ length: steps }, (_, i) => ({
      toolCalls: [{ name: "run_command", args: { command: commandAt(i + 1) } }],
    })),
  );
  const limits = { ...limitsForTask(task), maxSteps: steps + 1 };
  const events: AgentEvent[] = [];
  for await (const event of runTaskWithAgent({ vm, task, client, limits, stateCache }))
    events.push(event);
  return recordRun(`bench-${steps}`, new Date(), task, client, limits, events);
}

/** Per-step snapshots as a run would keep them: each step's call, then save_state; sizes and times. */
async function snapshotRun(vm: Vm, task: TaskBundle, steps: number, stateCache: ReadyTaskOptions) {
  await readyTask(vm, task, stateCache);
  const saveMs: number[] = [];
  const bytes: number[] = [];
  let last: ArrayBuffer | undefined;
  for (let step = 1; step <= steps; step++) {
    await runTool(vm, { tool: "run_command", command: commandAt(step) }, 60, undefined);
    const started = Date.now();
    last = await vm.saveState();
    saveMs.push(Date.now() - started);
    bytes.push(last.byteLength);
  }
  if (!last) throw new Error("no snapshot");
  const restoring = Date.now();
  await vm.restoreState(last);
  const restoreMs = Date.now() - restoring;
  const check = await vm.exec(`test -e /root/step${steps} && ! test -e /root/step${steps + 1}`);
  if (check.exitCode !== 0) throw new Error("the restored snapshot is not the last step's state");
  return { saveMs, bytes, restoreMs };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => Math.round(sum(xs) / Math.max(1, xs.length));

const task = await loadTaskFolder(resolve(values.task));
const stateCache = {
  cache: new MemoryTaskStateCache(),
  imageId: (await readImageManifest()).imageId,
};
const vm = await startNodeVm();
const figures: Record<string, Figure> = {};
try {
  // The task's state after setup is cached first, as a browser that ran the task once has it.
  await readyTask(vm, task, stateCache);
  for (const steps of RUN_LENGTHS) {
    log(`${steps}-step run: recording...`);
    const record = await recordScripted(vm, task, steps, stateCache);
    log(`${steps}-step run: fork at step ${steps} by replay...`);
    let forked: { readyMs: number; replayMs: number; durationMs: number } | undefined;
    for await (const event of forkRun({ vm, task, record, step: steps, stateCache }))
      if (event.type === "forked") forked = event.fork;
    if (!forked) throw new Error(`the ${steps}-step run did not fork`);
    const check = await vm.exec(`test -e /root/step${steps}`);
    if (check.exitCode !== 0) throw new Error("the fork is not at the last step's state");
    log(`${steps}-step run: per-step snapshots...`);
    const snap = await snapshotRun(vm, task, steps, stateCache);
    figures[`fork_${steps}_steps_replay_ms`] = forked.durationMs;
    figures[`fork_${steps}_steps_replay_ready_ms`] = forked.readyMs;
    figures[`fork_${steps}_steps_replay_calls_ms`] = forked.replayMs;
    figures[`fork_${steps}_steps_snapshot_restore_ms`] = snap.restoreMs;
    figures[`snapshots_${steps}_steps_save_ms_per_step`] = mean(snap.saveMs);
    figures[`snapshots_${steps}_steps_save_ms_total`] = sum(snap.saveMs);
    figures[`snapshots_${steps}_steps_mib_per_step`] =
      Math.round((mean(snap.bytes) / MIB) * 10) / 10;
    figures[`snapshots_${steps}_steps_mib_total`] = Math.round((sum(snap.bytes) / MIB) * 10) / 10;
  }
} finally {
  await vm.destroy();
}
printFigures(figures, {}, values.json ?? false);
