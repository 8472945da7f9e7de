// Unit tests: two scripted agents on one task on two fake VMs, recorded as two tagged runs and one comparison; held at their first disagreement.
import { describe, expect, it } from "vitest";
import { ScriptedClient, type ScriptedTurn } from "../agent/scripted-client";
import { restoreComparison } from "../domain/comparison";
import { restoreRun } from "../domain/run";
import { makeTask } from "../domain/task-builders";
import { limitsForTask, runTaskWithAgent } from "../tasks/agent-run";
import { MemoryTaskStateCache } from "../tasks/task-state";
import { FakeVm } from "../vm/fake-vm";
import type { GateDecision, GateQuestion } from "./compare-gate";
import { runComparison, type CompareRunOptions } from "./compare-run";

const task = makeTask();
const run = (command: string): ScriptedTurn => ({
  toolCalls: [{ name: "run_command", args: { command } }],
});
const finish: ScriptedTurn = { toolCalls: [{ name: "finish", args: { summary: "done" } }] };

function options(
  leftScript: ScriptedTurn[],
  rightScript: ScriptedTurn[],
  patch: Partial<CompareRunOptions> = {},
): CompareRunOptions & { left: { vm: FakeVm }; right: { vm: FakeVm } } {
  let n = 0;
  return {
    task,
    limits: limitsForTask(task),
    left: { vm: new FakeVm(), client: new ScriptedClient(leftScript, "model-a") },
    right: { vm: new FakeVm(), client: new ScriptedClient(rightScript, "model-b") },
    runTask: runTaskWithAgent,
    runOptions: { prices: {}, stopOnWarning: false, secrets: [] },
    newId: () => `id${n++}`,
    now: () => new Date("2026-12-03T10:00:00Z"),
    ...patch,
  } as CompareRunOptions & { left: { vm: FakeVm }; right: { vm: FakeVm } };
}

const agentCommands = (vm: FakeVm) =>
  vm.commands
    .map((c) => c.command)
    .filter((c) => ["ls /srv", "chmod 755 /srv", "cat /etc/hosts"].includes(c));

describe("runComparison", () => {
  it("runs both agents, each on its own VM, and links their runs in a comparison", async () => {
    const o = options([run("ls /srv"), run("chmod 755 /srv"), finish], [run("ls /srv"), finish]);
    const seen: string[] = [];
    const { comparison, left, right } = await runComparison({
      ...o,
      onEvent: (side, event) => {
        if (event.type === "tool-call") seen.push(side);
      },
    });
    expect(agentCommands(o.left.vm)).toEqual(["ls /srv", "chmod 755 /srv"]);
    expect(agentCommands(o.right.vm)).toEqual(["ls /srv"]);
    expect(seen.filter((s) => s === "left")).toHaveLength(3);
    expect(seen.filter((s) => s === "right")).toHaveLength(2);
    expect([left.agent.model, right.agent.model]).toEqual(["model-a", "model-b"]);
    expect(left.comparison).toEqual({ id: comparison.id, side: "left" });
    expect(right.comparison).toEqual({ id: comparison.id, side: "right" });
    expect(comparison.runIds).toEqual([left.id, right.id]);
    expect(comparison.divergenceRow).toBe(1);
    expect(comparison).not.toHaveProperty("pause");
    // All three records read back as stored.
    expect(restoreRun(JSON.parse(JSON.stringify(left))).comparison?.side).toBe("left");
    expect(restoreComparison(JSON.parse(JSON.stringify(comparison)))).toEqual(comparison);
  });

  it("readies the task once: with a state cache the right side starts after the left's setup and restores it", async () => {
    const o = options([run("ls /srv"), finish], [run("ls /srv"), finish]);
    const memory = new MemoryTaskStateCache();
    // Saving a state takes a while, as it does in IndexedDB.
    const cache = {
      get: (key: string) => memory.get(key),
      delete: (key: string) => memory.delete(key),
      put: async (key: string, state: ArrayBuffer) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await memory.put(key, state);
      },
    };
    const { left, right } = await runComparison({
      ...o,
      runOptions: { ...o.runOptions, stateCache: { cache, imageId: "image-1" } },
    });
    const setup = (r: typeof left) => r.events.find((e) => e.type === "setup");
    expect(setup(left)).toMatchObject({ fromSavedState: false });
    expect(setup(right)).toMatchObject({ fromSavedState: true });
    expect(memory.size).toBe(1);
  });

  it("holds both before their first diverging call and stops both when the person says so", async () => {
    const asked: GateQuestion[] = [];
    const o = options(
      [run("ls /srv"), run("chmod 755 /srv"), finish],
      [run("ls /srv"), run("cat /etc/hosts"), finish],
      {
        askAtDisagreement: (question) => {
          asked.push(question);
          return Promise.resolve<GateDecision>("stop");
        },
      },
    );
    const { comparison, left, right } = await runComparison(o);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.step).toBe(2);
    // Neither diverging call ran.
    expect(agentCommands(o.left.vm)).toEqual(["ls /srv"]);
    expect(agentCommands(o.right.vm)).toEqual(["ls /srv"]);
    expect(left.outcome.reason).toBe("stopped");
    expect(right.outcome.reason).toBe("stopped");
    expect(comparison.pause).toEqual({ step: 2, decision: "stop" });
  });

  it("keeps one run going when the person keeps it", async () => {
    const o = options(
      [run("ls /srv"), run("chmod 755 /srv"), finish],
      [run("ls /srv"), run("cat /etc/hosts"), finish],
      { askAtDisagreement: () => Promise.resolve<GateDecision>("keep-left") },
    );
    const { left, right, comparison } = await runComparison(o);
    expect(agentCommands(o.left.vm)).toEqual(["ls /srv", "chmod 755 /srv"]);
    expect(agentCommands(o.right.vm)).toEqual(["ls /srv"]);
    expect(left.outcome.reason).toBe("finished");
    expect(right.outcome.reason).toBe("stopped");
    expect(comparison.pause?.decision).toBe("keep-left");
  });

  it("stops both with the page's Stop", async () => {
    const controller = new AbortController();
    controller.abort();
    const o = options([run("ls /srv")], [run("ls /srv")], { signal: controller.signal });
    const { left, right } = await runComparison(o);
    expect(left.outcome.reason).toBe("stopped");
    expect(right.outcome.reason).toBe("stopped");
  });
});
