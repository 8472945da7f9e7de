// Unit tests of the run store with a scripted agent and a fake VM.
import { describe, expect, it } from "vitest";
import { ScriptedClient } from "../agent/scripted-client";
import type { TaskBundle } from "../domain/task";
import { makeRun } from "../domain/run-builders";
import type { RunRecord } from "../domain/run";
import { limitsForTask, runTaskWithAgent } from "../tasks/agent-run";
import { FakeVm } from "../vm/fake-vm";
import { createCatalogueStore, filterTasks } from "./catalogue-store";
import { createRunStore, type RunServices } from "./run-store";

function task(id: string, patch: Partial<TaskBundle["meta"]> = {}): TaskBundle {
  return {
    meta: {
      id,
      title: `Title of ${id}`,
      domain: "sysadmin",
      difficulty: "easy",
      tags: ["nginx"],
      teaches: "x",
      limits: { agentSteps: 5, agentSeconds: 60, commandSeconds: 10, checkSeconds: 10 },
      ...patch,
    },
    instruction: "The site is down.",
    setupScript: "true",
    solutionScript: "true",
    checkScript: "echo PASS: ok",
    wrongFixes: [],
    files: {},
  };
}

let runs = 0;

function services(vm: FakeVm | undefined, client: () => ScriptedClient): RunServices {
  return {
    vm: () => vm,
    createClient: () => client(),
    limits: (t) => limitsForTask(t),
    runOptions: () => ({ prices: {}, stopOnWarning: false, secrets: [] }),
    runTask: runTaskWithAgent,
    newRunId: () => `run-${++runs}`,
    now: () => new Date(0),
    repository: undefined,
  };
}

const graderPasses = new FakeVm((command) =>
  command.includes("check.sh") ? { stdout: "PASS: site answers\n" } : { stdout: "ok\n" },
);

describe("run store", () => {
  it("runs an agent on a task, streams its events and keeps the record", async () => {
    const client = () =>
      new ScriptedClient([
        {
          text: "Checking.",
          toolCalls: [{ name: "run_command", args: { command: "curl -s localhost" } }],
        },
        { toolCalls: [{ name: "finish", args: { summary: "ok" } }] },
      ]);
    const store = createRunStore(services(graderPasses, client));
    const phases: string[] = [];
    store.subscribe((s) => phases.push(s.phase));
    await store.getState().start(task("t1"), "model");
    const state = store.getState();
    expect(state.phase).toBe("done");
    expect(new Set(phases)).toEqual(new Set(["preparing", "running", "grading", "done"]));
    expect(state.events.map((e) => e.type)).toContain("graded");
    expect(state.history[0]?.outcome).toMatchObject({
      passed: true,
      reason: "finished",
      commands: 1,
    });
  });

  it("says what to do when the agent cannot start, and keeps nothing", async () => {
    const noVm = createRunStore(services(undefined, () => new ScriptedClient([])));
    await noVm.getState().start(task("t1"), "model");
    expect(noVm.getState()).toMatchObject({ phase: "idle", history: [] });
    expect(noVm.getState().error).toMatch(/Linux is not running yet/);

    const s = services(graderPasses, () => new ScriptedClient([]));
    s.createClient = () => {
      throw new Error("Enter your openai API key in Settings.");
    };
    const noKey = createRunStore(s);
    await noKey.getState().start(task("t1"), "model");
    expect(noKey.getState().error).toBe("Enter your openai API key in Settings.");
  });

  it("stops a run at once", async () => {
    const hanging = new FakeVm((command) =>
      command.includes("sleep") ? new Promise(() => {}) : { stdout: "PASS: x\n" },
    );
    const client = () =>
      new ScriptedClient([{ toolCalls: [{ name: "run_command", args: { command: "sleep 99" } }] }]);
    const store = createRunStore(services(hanging, client));
    const done = store.getState().start(task("t1"), "model");
    await new Promise((r) => setTimeout(r, 20));
    store.getState().stop();
    await done;
    expect(store.getState().events.find((e) => e.type === "finished")).toMatchObject({
      reason: "stopped",
    });
  });
});

describe("Stop before the agent starts", () => {
  it("ends a run stopped while its task is set up at once, keeps it as stopped and ungraded", async () => {
    const vm = new FakeVm((command) =>
      command.includes("setup.sh") ? new Promise(() => {}) : { stdout: "PASS: x\n" },
    );
    const store = createRunStore(services(vm, () => new ScriptedClient([])));
    const phases: string[] = [];
    store.subscribe((s) => phases.push(s.phase));
    const done = store.getState().start(task("t1"), "model");
    while (!vm.commands.some((c) => c.command.includes("setup.sh")))
      await new Promise((r) => setTimeout(r, 1));
    store.getState().stop();
    await done;
    expect(store.getState().phase).toBe("done");
    expect(phases).toContain("stopping");
    expect(phases).not.toContain("grading");
    expect(store.getState().events).toEqual([{ type: "finished", atMs: 0, reason: "stopped" }]);
    expect(store.getState().history[0]?.outcome).toMatchObject({ reason: "stopped", passed: null });
    expect(vm.commands.some((c) => c.command.includes("check.sh"))).toBe(false);
  });

  it("starts nothing when stopped while the agent's client is made", async () => {
    let made = () => {};
    const s = services(graderPasses, () => new ScriptedClient([]));
    const client = new ScriptedClient([]);
    s.createClient = () => new Promise((resolve) => (made = () => resolve(client)));
    let ran = false;
    s.runTask = (options) => {
      ran = true;
      return runTaskWithAgent(options);
    };
    const store = createRunStore(s);
    const done = store.getState().start(task("t1"), "model");
    store.getState().stop();
    made();
    await done;
    expect(ran).toBe(false);
    expect(store.getState()).toMatchObject({ phase: "idle", history: [] });
  });
});

describe("saved runs", () => {
  it("saves the run as it goes and at its end, and lists saved runs and unreadable ones", async () => {
    const saved = new Map<string, RunRecord>();
    const s = services(
      graderPasses,
      () => new ScriptedClient([{ toolCalls: [{ name: "finish", args: { summary: "ok" } }] }]),
    );
    s.repository = {
      save: (record) => {
        saved.set(record.id, record);
        return Promise.resolve();
      },
      list: () =>
        Promise.resolve({
          runs: [makeRun({ id: "earlier" })],
          unreadable: [{ id: "x", reason: "This run record cannot be read (no id)" }],
        }),
      delete: () => Promise.resolve(),
    };
    const store = createRunStore(s);
    await store.getState().loadHistory();
    expect(store.getState().unreadable).toEqual([
      { id: "x", reason: "This run record cannot be read (no id)" },
    ]);
    expect(store.getState().storageNote).toBeUndefined();
    await store.getState().start(task("t1"), "model");
    const [record] = [...saved.values()];
    expect(saved.size).toBe(1);
    expect(record?.outcome).toMatchObject({ reason: "finished", passed: true });
    expect(store.getState().history.map((r) => r.id)).toEqual([record?.id, "earlier"]);
    store.getState().view("earlier");
    expect(store.getState().viewing?.id).toBe("earlier");
  });

  it("deletes a saved run, readable or not, from storage and the list", async () => {
    const deleted: string[] = [];
    const s = services(graderPasses, () => new ScriptedClient([]));
    s.repository = {
      save: () => Promise.resolve(),
      list: () =>
        Promise.resolve({
          runs: [makeRun({ id: "good" }), makeRun({ id: "shown" })],
          unreadable: [{ id: "broken", reason: "no id" }],
        }),
      delete: (id) => {
        deleted.push(id);
        return Promise.resolve();
      },
    };
    const store = createRunStore(s);
    await store.getState().loadHistory();
    store.getState().view("shown");
    await store.getState().deleteRun("broken");
    await store.getState().deleteRun("shown");
    expect(deleted).toEqual(["broken", "shown"]);
    expect(store.getState()).toMatchObject({ unreadable: [], viewing: undefined });
    expect(store.getState().history.map((r) => r.id)).toEqual(["good"]);

    s.repository.delete = () => Promise.reject(new Error("the disk is gone"));
    await store.getState().deleteRun("good");
    expect(store.getState().history).toHaveLength(1);
    expect(store.getState().storageNote).toMatch(/could not be deleted: the disk is gone/);
  });

  it("tells when a run could not be saved, and keeps it for the tab", async () => {
    const s = services(graderPasses, () => new ScriptedClient([]));
    s.repository = {
      save: () => Promise.reject(new Error("QuotaExceededError")),
      list: () => Promise.resolve({ runs: [], unreadable: [] }),
      delete: () => Promise.resolve(),
    };
    const store = createRunStore(s);
    await store.getState().start(task("t1"), "model");
    expect(store.getState().storageNote).toMatch(/could not be saved: QuotaExceededError/);
    expect(store.getState().history).toHaveLength(1);
  });
});

describe("catalogue filter", () => {
  const tasks = [
    task("nginx-403"),
    task("dns-stale", { domain: "networking", difficulty: "hard", tags: ["dns"] }),
  ];
  it("filters by domain, difficulty and words", () => {
    const all = { domain: "all", difficulty: "all", query: "" } as const;
    expect(filterTasks(tasks, { ...all, domain: "networking" }).map((t) => t.meta.id)).toEqual([
      "dns-stale",
    ]);
    expect(filterTasks(tasks, { ...all, difficulty: "easy" }).map((t) => t.meta.id)).toEqual([
      "nginx-403",
    ]);
    expect(filterTasks(tasks, { ...all, query: "DNS stale" }).map((t) => t.meta.id)).toEqual([
      "dns-stale",
    ]);
    expect(filterTasks(tasks, { ...all, query: "nothing-like-this" })).toEqual([]);
  });
  it("selects the first task at start", () => {
    expect(createCatalogueStore({ tasks, errors: [] }).getState().selectedId).toBe("nginx-403");
  });
});
