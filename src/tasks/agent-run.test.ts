// Unit tests of a task run's start: from a saved state when there is one, else reset and set up.
import { describe, expect, it } from "vitest";
import { ScriptedClient } from "../agent/scripted-client";
import type { AgentEvent } from "../agent/loop";
import { makeTask } from "../domain/task-builders";
import { FakeVm } from "../vm/fake-vm";
import { limitsForTask, runTaskWithAgent } from "./agent-run";
import { MemoryTaskStateCache } from "./task-state";

const task = makeTask({
  meta: {
    ...makeTask().meta,
    limits: { agentSteps: 5, agentSeconds: 60, commandSeconds: 10, checkSeconds: 10 },
  },
});

async function setupEvents(vm: FakeVm, stateCache?: { cache: MemoryTaskStateCache }) {
  const events: AgentEvent[] = [];
  for await (const event of runTaskWithAgent({
    vm,
    task,
    client: new ScriptedClient([]),
    limits: limitsForTask(task),
    prices: {},
    stopOnWarning: false,
    secrets: [],
    ...(stateCache && { stateCache: { ...stateCache, imageId: "image0123" } }),
  })) {
    events.push(event);
  }
  return events.filter((e) => e.type === "setup");
}

describe("runTaskWithAgent", () => {
  it("sets the task up the first time and restores its saved state on the retry", async () => {
    const vm = new FakeVm();
    const cache = new MemoryTaskStateCache();
    expect(await setupEvents(vm, { cache })).toEqual([
      expect.objectContaining({ type: "setup", fromSavedState: false }),
    ]);
    const setups = () => vm.commands.filter((c) => c.command.includes("setup.sh")).length;
    const before = setups();
    expect(before).toBeGreaterThan(0);
    expect(await setupEvents(vm, { cache })).toEqual([
      expect.objectContaining({ type: "setup", fromSavedState: true }),
    ]);
    expect(setups()).toBe(before);
  });

  it("sets up every time without a state cache", async () => {
    const vm = new FakeVm();
    await setupEvents(vm);
    await setupEvents(vm);
    expect(vm.commands.filter((c) => c.command.includes("setup.sh")).length).toBe(2);
  });
});
