// Unit tests of the run store with a scripted agent, a fake VM and storage over an in-memory IndexedDB.
import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { ScriptedClient } from "../agent/scripted-client";
import type { TaskBundle } from "../domain/task";
import { makeRun } from "../domain/run-builders";
import type { RunRecord } from "../domain/run";
import { limitsForTask, runTaskWithAgent } from "../tasks/agent-run";
import { FakeVm } from "../vm/fake-vm";
import { openRunRepository, StorageFullError } from "../storage/run-db";
import { createCatalogueStore, filterTasks } from "./catalogue-store";
import { createRunStore, liveRecord, sinceStageBegan, type RunServices } from "./run-store";

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
    // The live run as a record (what its replay shows) is the record kept.
    expect(state.runHead?.id).toBe(state.history[0]?.id);
    expect(liveRecord(state.runHead!, state.events)).toEqual(state.history[0]);
  });

  it("says what grading does while the run is graded, and nothing once it ended", async () => {
    const client = () =>
      new ScriptedClient([{ toolCalls: [{ name: "finish", args: { summary: "ok" } }] }]);
    const store = createRunStore(services(graderPasses, client));
    const seen: string[] = [];
    store.subscribe((s) => {
      if (s.grading) seen.push(`${s.phase}:${s.grading.stage}`);
    });
    await store.getState().start(task("t1"), "model");
    expect([...new Set(seen)]).toEqual([
      "grading:stopping",
      "grading:integrity",
      "grading:checks",
      "grading:rechecking",
    ]);
    expect(store.getState().grading).toBeUndefined();
    // Shown live only: the record keeps no trace of it.
    expect(JSON.stringify(store.getState().history[0])).not.toContain("rechecking");
  });

  it("says what readying the task does while it is prepared, and nothing once the agent starts", async () => {
    const client = () =>
      new ScriptedClient([{ toolCalls: [{ name: "finish", args: { summary: "ok" } }] }]);
    const store = createRunStore(services(graderPasses, client));
    const seen: string[] = [];
    store.subscribe((s) => {
      if (s.readying) seen.push(`${s.phase}:${s.readying.stage}`);
    });
    await store.getState().start(task("t1"), "model");
    expect([...new Set(seen)]).toEqual([
      "preparing:resetting",
      "preparing:fixtures",
      "preparing:setup",
    ]);
    expect(store.getState().readying).toBeUndefined();
    expect(JSON.stringify(store.getState().history[0])).not.toContain("fixtures");
  });

  it("says what to do when the agent cannot start, and keeps nothing", async () => {
    const noVm = createRunStore(services(undefined, () => new ScriptedClient([])));
    await noVm.getState().start(task("t1"), "model");
    expect(noVm.getState()).toMatchObject({ phase: "idle", history: [], runHead: undefined });
    expect(noVm.getState().error).toMatch(/Linux is not running yet/);

    const s = services(graderPasses, () => new ScriptedClient([]));
    s.createClient = () => {
      throw new Error("Enter your openai API key in Settings.");
    };
    const noKey = createRunStore(s);
    await noKey.getState().start(task("t1"), "model");
    expect(noKey.getState().error).toBe("Enter your openai API key in Settings.");
  });

  it("does not start while a verification uses Linux, and says so", async () => {
    const vm = new FakeVm();
    const s = services(vm, () => new ScriptedClient([]));
    s.vmBusy = () => "Linux is verifying a run.";
    const store = createRunStore(s);
    expect(await store.getState().start(task("t1"), "oracle")).toBeUndefined();
    expect(store.getState()).toMatchObject({ phase: "idle", error: "Linux is verifying a run." });
    expect(vm.commands).toEqual([]);
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
  it("holds a call for the person under approval mode, runs it as they edit it, and lets go of it on stop", async () => {
    const vm = new FakeVm((command) =>
      command.includes("check.sh") ? { stdout: "PASS: x\n" } : { stdout: `ran ${command}\n` },
    );
    const restart = { name: "run_command", args: { command: "systemctl restart nginx" } };
    const s = services(
      vm,
      () => new ScriptedClient([{ toolCalls: [restart] }, { toolCalls: [restart] }]),
    );
    s.limits = (t) => ({
      ...limitsForTask(t),
      approval: { mode: "every", autoApprove: [], timeoutSeconds: 0 },
    });
    const store = createRunStore(s);
    const asked = () =>
      new Promise<void>((resolve) => {
        const off = store.subscribe((state) => {
          if (!state.approval) return;
          off();
          resolve();
        });
      });
    const first = asked();
    const running = store.getState().start(task("t1"), "model");
    await first;
    expect(store.getState().approval).toMatchObject({
      request: {
        step: 1,
        input: { command: "systemctl restart nginx" },
        asked: { because: "every" },
      },
      askedAt: 0,
    });
    const second = asked();
    store.getState().answerApproval({ decision: "edit", text: "systemctl reload nginx" });
    await second;
    expect(vm.commands.map((c) => c.command)).toContain("systemctl reload nginx");
    expect(vm.commands.map((c) => c.command)).not.toContain("systemctl restart nginx");
    store.getState().stop();
    const record = await running;
    expect(store.getState().approval).toBeUndefined();
    expect(record?.limits.approval).toMatchObject({ mode: "every" });
    expect(record?.events.filter((e) => e.type === "approval")).toMatchObject([
      { step: 1, decision: "edited", edited: { command: "systemctl reload nginx" } },
    ]);
    expect(record?.outcome.reason).toBe("stopped");
  });

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
  let dbs = 0;
  const finishes = () =>
    new ScriptedClient([{ toolCalls: [{ name: "finish", args: { summary: "ok" } }] }]);

  it("stores every step as it happens: another tab reads a cut-off run with every step it took", async () => {
    const name = `run-store-${dbs++}`;
    const held = new Set<string>();
    const repository = await openRunRepository(name, {
      runIsLive: (id) => Promise.resolve(held.has(id)),
    });
    const hanging = new FakeVm((command) =>
      command.includes("sleep") ? new Promise(() => {}) : { stdout: "ok\n" },
    );
    const s = services(
      hanging,
      () =>
        new ScriptedClient([
          { toolCalls: [{ name: "run_command", args: { command: "ls /" } }] },
          { toolCalls: [{ name: "run_command", args: { command: "sleep 99" } }] },
        ]),
    );
    s.repository = repository;
    s.holdRun = (id) => {
      held.add(id);
      return () => held.delete(id);
    };
    const store = createRunStore(s);
    const done = store.getState().start(task("t1"), "model");
    while (!hanging.commands.some((c) => c.command.includes("sleep")))
      await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 5));
    // Another tab, while the run goes on: every step so far, and the run is held by its tab.
    const other = await openRunRepository(name, {
      runIsLive: (id) => Promise.resolve(held.has(id)),
    });
    const seen = await other.list();
    const live = seen.runs[0];
    expect(live?.outcome.reason).toBeNull();
    expect(live?.events.filter((e) => e.type === "tool-call")).toHaveLength(2);
    expect(live?.events.map((e) => e.type)).toEqual(store.getState().events.map((e) => e.type));
    expect(seen.running).toEqual([live?.id]);
    // The tab goes (its lock is released): the run reads as interrupted, with its steps.
    held.clear();
    expect((await other.list()).running).toEqual([]);
    store.getState().stop();
    await done;
    const [ended] = (await other.list()).runs;
    expect(ended?.outcome.reason).toBe("stopped");
    expect(ended?.events).toEqual(store.getState().history[0]?.events);
    other.close();
    repository.close();
  });

  it("writes the running run's queued events when the page asks (on pagehide)", async () => {
    const flushed: number[] = [];
    const appended: string[] = [];
    const hanging = new FakeVm((command) =>
      command.includes("sleep") ? new Promise(() => {}) : { stdout: "ok\n" },
    );
    const s = services(
      hanging,
      () =>
        new ScriptedClient([
          { toolCalls: [{ name: "run_command", args: { command: "sleep 9" } }] },
        ]),
    );
    s.repository = {
      save: () => Promise.resolve(),
      list: () => Promise.resolve({ runs: [], unreadable: [] }),
      delete: () => Promise.resolve(),
      deleteMany: () => Promise.resolve(),
      begin: () =>
        Promise.resolve({
          append: (event) => void appended.push(event.type),
          flush: () => void flushed.push(appended.length),
          finish: () => Promise.resolve(),
        }),
    };
    const store = createRunStore(s);
    store.getState().flushSaves();
    const done = store.getState().start(task("t1"), "model");
    while (!hanging.commands.some((c) => c.command.includes("sleep")))
      await new Promise((r) => setTimeout(r, 1));
    store.getState().flushSaves();
    expect(flushed).toEqual([appended.length]);
    expect(appended).toContain("tool-call");
    store.getState().stop();
    await done;
  });

  it("lists saved runs, unreadable ones and runs going on elsewhere; adds the new run at its end", async () => {
    const s = services(graderPasses, finishes);
    const saved = new Map<string, RunRecord>();
    s.repository = {
      save: () => Promise.resolve(),
      list: () =>
        Promise.resolve({
          runs: [makeRun({ id: "earlier" })],
          unreadable: [{ id: "x", reason: "This run record cannot be read (no id)" }],
          running: ["earlier"],
        }),
      delete: () => Promise.resolve(),
      deleteMany: () => Promise.resolve(),
      begin: () =>
        Promise.resolve({
          append: () => undefined,
          flush: () => undefined,
          finish: (record) => {
            saved.set(record.id, record);
            return Promise.resolve();
          },
        }),
    };
    const store = createRunStore(s);
    await store.getState().loadHistory();
    expect(store.getState()).toMatchObject({
      unreadable: [{ id: "x", reason: "This run record cannot be read (no id)" }],
      runningElsewhere: ["earlier"],
      storageNote: undefined,
    });
    await store.getState().start(task("t1"), "model");
    const [record] = [...saved.values()];
    expect(saved.size).toBe(1);
    expect(record?.outcome).toMatchObject({ reason: "finished", passed: true });
    expect(store.getState().history.map((r) => r.id)).toEqual([record?.id, "earlier"]);
    store.getState().view("earlier");
    expect(store.getState().viewing?.id).toBe("earlier");
  });

  it("deletes saved runs, readable or not, from storage and the list", async () => {
    const repository = await openRunRepository(`run-store-${dbs++}`);
    for (const id of ["good", "shown", "other"]) await repository.save(makeRun({ id }));
    const s = services(graderPasses, () => new ScriptedClient([]));
    s.repository = repository;
    const store = createRunStore(s);
    await store.getState().loadHistory();
    store.getState().view("shown");
    await store.getState().deleteRuns(["shown", "other"]);
    expect(store.getState()).toMatchObject({ unreadable: [], viewing: undefined });
    expect(store.getState().history.map((r) => r.id)).toEqual(["good"]);
    expect((await repository.list()).runs.map((r) => r.id)).toEqual(["good"]);

    s.repository = {
      ...repository,
      deleteMany: () => Promise.reject(new Error("the disk is gone")),
    };
    const failing = createRunStore(s);
    await failing.getState().loadHistory();
    await failing.getState().deleteRun("good");
    expect(failing.getState().history.map((r) => r.id)).toEqual(["good"]);
    expect(failing.getState().storageNote).toMatch(/could not be deleted: the disk is gone/);
  });

  it("keeps a run that storage refuses (a full quota) in the tab, and saves it once space is freed", async () => {
    const repository = await openRunRepository(`run-store-${dbs++}`);
    await repository.save(makeRun({ id: "old" }));
    let full = true;
    const refuse = <T>(write: () => Promise<T>) =>
      full ? Promise.reject(new StorageFullError()) : write();
    const s = services(graderPasses, finishes);
    s.repository = {
      ...repository,
      save: (record) => refuse(() => repository.save(record)),
      begin: (head, onError) => refuse(() => repository.begin(head, onError)),
      deleteMany: (ids) => {
        full = false;
        return repository.deleteMany(ids);
      },
    };
    const store = createRunStore(s);
    await store.getState().loadHistory();
    await store.getState().start(task("t1"), "model");
    const run = store.getState().history[0];
    expect(run?.outcome.passed).toBe(true);
    expect(store.getState().unsaved).toEqual([run?.id]);
    expect(store.getState().storageNote).toMatch(/Storage is full.*Delete old runs/);
    expect((await repository.list()).runs.map((r) => r.id)).toEqual(["old"]);
    // Reloading the list from storage does not lose the run kept in memory (newest first: it ran in 1970).
    await store.getState().loadHistory();
    expect(store.getState().history.map((r) => r.id)).toEqual(["old", run?.id]);
    await store.getState().deleteRun("old");
    expect(store.getState().unsaved).toEqual([]);
    expect(store.getState().storageNote).toBe("The runs kept in this tab only are saved now.");
    expect((await repository.list()).runs).toEqual([run]);
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

describe("sinceStageBegan", () => {
  it("keeps when the stage began while news of the same stage comes, and starts anew with the next", () => {
    const now = vi.spyOn(Date, "now").mockReturnValue(1000);
    try {
      const first = sinceStageBegan(undefined, { stage: "checks" as const, checkNumber: 1 });
      expect(first).toEqual({ stage: "checks", checkNumber: 1, sinceMs: 1000 });
      now.mockReturnValue(5000);
      const second = sinceStageBegan(first, { stage: "checks" as const, checkNumber: 2 });
      expect(second).toEqual({ stage: "checks", checkNumber: 2, sinceMs: 1000 });
      const next = sinceStageBegan<{ stage: string }>(second, { stage: "rechecking" });
      expect(next).toEqual({ stage: "rechecking", sinceMs: 5000 });
    } finally {
      now.mockRestore();
    }
  });
});
