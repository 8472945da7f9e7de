// Unit tests of the page's fork store over the real forkRun and a fake VM: progress to a ready fork, refusals, Stop, and an agent run carrying on from it through the run store.
import { describe, expect, it } from "vitest";
import { ScriptedClient } from "../agent/scripted-client";
import { makeRun } from "../domain/run-builders";
import type { RunEvent } from "../domain/run";
import { makeTask } from "../domain/task-builders";
import { limitsForTask, runTaskWithAgent } from "../tasks/agent-run";
import { forkRun } from "../tasks/fork-run";
import { FakeVm } from "../vm/fake-vm";
import { createForkStore, FORK_STOPPED_MESSAGE, type ForkServices } from "./fork-store";
import { createRunStore } from "./run-store";

const task = makeTask();
const command = (step: number, text: string): RunEvent[] => [
  {
    type: "tool-call",
    atMs: step,
    step,
    callId: `c${step}`,
    input: { tool: "run_command", command: text },
  },
  {
    type: "tool-result",
    atMs: step,
    step,
    callId: `c${step}`,
    outcome: {
      kind: "command",
      exitCode: 0,
      stdout: "",
      stderr: "",
      durationMs: 1,
      timedOut: false,
      truncated: false,
    },
  },
];
const parent = makeRun({
  id: "parent",
  task: { id: task.meta.id, title: task.meta.title, domain: "sysadmin", difficulty: "easy" },
  events: [1, 2, 3].flatMap((n) => command(n, n === 2 ? "hang" : `touch /root/step${n}`)),
});

function services(vm: FakeVm, patch: Partial<ForkServices> = {}): ForkServices {
  return { vm: () => vm, vmBusy: () => undefined, forkRun, ...patch };
}

describe("fork store", () => {
  it("forks with progress, holds the fork ready, and forgets it once Linux is used otherwise", async () => {
    const vm = new FakeVm();
    const store = createForkStore(services(vm));
    const stages: string[] = [];
    store.subscribe((s) => {
      if (s.progress && s.progress.stage !== stages.at(-1)) stages.push(s.progress.stage);
    });
    const point = await store.getState().fork(parent, task, 1);
    expect(stages).toEqual(["readying", "replaying"]);
    expect(store.getState()).toMatchObject({
      phase: "ready",
      parent: { runId: "parent", step: 1, lastStep: 3, title: task.meta.title },
      error: undefined,
    });
    expect(point?.origin).toMatchObject({ runId: "parent", step: 1 });
    expect(vm.commands.map((c) => c.command)).toContain("touch /root/step1");
    expect(vm.commands.map((c) => c.command)).not.toContain("hang");
    store.getState().leave();
    expect(store.getState()).toMatchObject({ phase: "idle", point: undefined });
  });

  it("refuses while Linux is busy or missing, and a run it cannot fork, saying why", async () => {
    const busy = createForkStore(services(new FakeVm(), { vmBusy: () => "A run is using Linux." }));
    expect(await busy.getState().fork(parent, task, 1)).toBeUndefined();
    expect(busy.getState()).toMatchObject({ phase: "done", error: "A run is using Linux." });
    const other = createForkStore(services(new FakeVm()));
    await other.getState().fork(parent, undefined, 1);
    expect(other.getState().error).toMatch(/not in this OpsLab/);
  });

  it("stops during a replayed call and says Linux was reset", async () => {
    let entered = (): void => {};
    const hanging = new Promise<void>((resolve) => (entered = resolve));
    const vm = new FakeVm((c) => {
      if (c !== "hang") return {};
      entered();
      return new Promise(() => undefined);
    });
    const store = createForkStore(services(vm));
    const forking = store.getState().fork(parent, task, 3);
    await hanging;
    store.getState().stop();
    expect(store.getState().phase).toBe("stopping");
    expect(await forking).toBeUndefined();
    expect(store.getState()).toMatchObject({ phase: "done", error: FORK_STOPPED_MESSAGE });
  });

  it("lets an agent carry on from the fork through the run store, recorded as a fork", async () => {
    const vm = new FakeVm((c) => (c.includes("check.sh") ? { stdout: "PASS: ok\n" } : {}));
    const forks = createForkStore(services(vm));
    const point = await forks.getState().fork(parent, task, 1);
    const client = new ScriptedClient([
      { toolCalls: [{ name: "run_command", args: { command: "ls /root" } }] },
    ]);
    const runs = createRunStore({
      vm: () => vm,
      createClient: () => client,
      limits: (t) => limitsForTask(t),
      runOptions: () => ({ prices: {}, stopOnWarning: false, secrets: [] }),
      runTask: runTaskWithAgent,
      newRunId: () => "child",
      now: () => new Date(0),
      repository: undefined,
    });
    const commandsBefore = vm.commands.length;
    const record = await runs.getState().start(task, "oracle", undefined, point);
    expect(record?.forkedFrom).toEqual(point?.origin);
    expect(record?.outcome.verdict).toBe("pass");
    expect(runs.getState().history[0]?.forkedFrom?.runId).toBe("parent");
    // No setup again: the agent's command is the first thing the run does in the guest.
    expect(vm.commands[commandsBefore]?.command).toBe("ls /root");
    expect(client.requests[0]?.messages[0]?.content).toContain("touch /root/step1");
  });
});
