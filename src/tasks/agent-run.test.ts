// Unit tests of a task run's start: from a saved state when there is one, else reset and set up.
import { describe, expect, it } from "vitest";
import { ScriptedClient } from "../agent/scripted-client";
import type { AgentEvent } from "../agent/loop";
import { makeTask } from "../domain/task-builders";
import { FakeVm } from "../vm/fake-vm";
import type { ExecOptions } from "../vm/vm";
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

/** A fake VM that counts resets, can make them slow, and sees whether two ever overlap. */
class SetupVm extends FakeVm {
  resets = 0;
  resetsAtOnce = 0;
  mostResetsAtOnce = 0;
  /** When set, a reset waits for this before it ends. */
  resetGate: Promise<void> | undefined;
  /** False: the VM does not cancel a command when its signal aborts (it runs on). */
  cancels = true;

  override async reset(): Promise<void> {
    this.resets++;
    this.mostResetsAtOnce = Math.max(this.mostResetsAtOnce, ++this.resetsAtOnce);
    await this.resetGate;
    this.resetsAtOnce--;
    return super.reset();
  }

  /** The signal each command was given, whether or not the VM honours it. */
  readonly signals = new Map<string, AbortSignal | undefined>();

  override exec(command: string, options: ExecOptions = {}) {
    this.signals.set(command, options.signal);
    if (this.cancels) return super.exec(command, options);
    const ignored = { ...options };
    delete ignored.signal;
    return super.exec(command, ignored);
  }
}

/** setup.sh runs until cancelled; everything else answers at once. */
const hangingSetup = (command: string) =>
  command.includes("setup.sh") ? new Promise<never>(() => {}) : {};

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
};

function stoppableRun(vm: FakeVm, controller: AbortController, cache = new MemoryTaskStateCache()) {
  return runTaskWithAgent({
    vm,
    task,
    client: new ScriptedClient([]),
    limits: limitsForTask(task),
    prices: {},
    stopOnWarning: false,
    secrets: [],
    signal: controller.signal,
    stateCache: { cache, imageId: "image0123" },
  });
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe("Stop while the task is readied", () => {
  it.each([
    ["cancels setup.sh in the guest", true],
    ["stops waiting on a VM that does not cancel", false],
  ])("ends at once as stopped, ungraded, and leaves the VM reset: %s", async (_, cancels) => {
    const vm = new SetupVm(hangingSetup);
    vm.cancels = cancels;
    const cache = new MemoryTaskStateCache();
    const controller = new AbortController();
    const run = collect(stoppableRun(vm, controller, cache));
    await until(() => vm.commands.some((c) => c.command.includes("setup.sh")));
    const commandsBefore = vm.commands.length;
    controller.abort();
    const events = await run;

    expect(events).toEqual([{ type: "finished", atMs: 0, reason: "stopped" }]);
    const setup = [...vm.signals].find(([command]) => command.includes("setup.sh"));
    expect(setup?.[1]?.aborted).toBe(true);
    expect(vm.resets).toBe(2);
    // Nothing of setup ran after the stop: no state saved, no grader.
    expect(vm.commands.length).toBe(commandsBefore);
    expect(cache.size).toBe(0);
  });

  it("lets a reset in flight finish before it resets again, and runs no setup step after the stop", async () => {
    const vm = new SetupVm();
    let openGate = () => {};
    vm.resetGate = new Promise((resolve) => (openGate = resolve));
    const controller = new AbortController();
    const events = stoppableRun(vm, controller)[Symbol.asyncIterator]();
    const first = events.next();
    await until(() => vm.resets === 1);
    controller.abort();
    // The run ends at once, while the first reset still runs.
    expect((await first).value).toEqual({ type: "finished", atMs: 0, reason: "stopped" });
    expect(vm.resets).toBe(1);
    vm.resetGate = undefined;
    openGate();
    expect((await events.next()).done).toBe(true);
    expect(vm.resets).toBe(2);
    expect(vm.mostResetsAtOnce).toBe(1);
    expect(vm.commands).toEqual([]);
  });

  it("ends at once when stopped before it began, without touching the VM beyond a reset", async () => {
    const vm = new SetupVm();
    const controller = new AbortController();
    controller.abort();
    expect(await collect(stoppableRun(vm, controller))).toEqual([
      { type: "finished", atMs: 0, reason: "stopped" },
    ]);
    expect(vm.commands).toEqual([]);
    expect(vm.resets).toBe(1);
  });
});
