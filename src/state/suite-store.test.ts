// Unit tests of the suite store: items in order, saved after each run, pause, stop, resume after a reload, errors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createOracleClient } from "../agent/oracle";
import { makeArchive } from "../domain/archive";
import { suiteLeaderboard } from "../domain/leaderboard";
import { makeRun } from "../domain/run-builders";
import type { RunRecord, StopReason } from "../domain/run";
import { ORACLE_AGENT, type SuiteAgent, type SuiteRecord, type SuiteSpec } from "../domain/suite";
import type { TaskBundle } from "../domain/task";
import { limitsForTask, runTaskWithAgent } from "../tasks/agent-run";
import { FakeVm } from "../vm/fake-vm";
import { createRunStore, type RunSetup } from "./run-store";
import {
  createSuiteStore,
  estimateSuiteMs,
  runItemsThrough,
  suiteProgress,
  MODEL_ITEM_ESTIMATE_MS,
  ORACLE_ITEM_ESTIMATE_MS,
  type ItemResult,
  type SuiteServices,
} from "./suite-store";

function task(id: string): TaskBundle {
  return {
    meta: {
      id,
      title: `Title of ${id}`,
      domain: "sysadmin",
      difficulty: "easy",
      tags: [],
      teaches: "x",
      limits: { agentSteps: 5, agentSeconds: 60, commandSeconds: 10, checkSeconds: 10 },
    },
    instruction: "Fix it.",
    setupScript: "true",
    solutionScript: "echo solved",
    checkScript: "echo PASS: ok",
    wrongFixes: [],
    files: {},
  };
}

const MODEL: SuiteAgent = { provider: "openai", model: "gpt-x" };
const SPEC: SuiteSpec = { tasks: ["a", "b"], agents: [ORACLE_AGENT, MODEL], trials: 1 };

/** A fake world: a repository in memory, a marker, and runItem answering from `answer`. */
function world(answer: (taskId: string, agent: SuiteAgent, call: number) => ItemResult | "hang") {
  const saved = new Map<string, SuiteRecord>();
  const saves: SuiteRecord[] = [];
  let marker: string | undefined;
  const calls: string[] = [];
  let release: (() => void) | undefined;
  let ids = 0;
  let clock = 0;
  let restored = 0;
  const keptRuns: RunRecord[] = [];
  const services: SuiteServices = {
    task: (id) => (id === "gone" ? undefined : task(id)),
    runItem(t, agent) {
      calls.push(`${t.meta.id}|${agent.model}`);
      clock += 1000;
      const result = answer(t.meta.id, agent, calls.length);
      if (result !== "hang") return Promise.resolve(result);
      return new Promise((resolve) => {
        release = () => resolve({ kind: "run", run: makeRun({ id: "stopped-run" }) });
      });
    },
    stopItem: () => release?.(),
    whenVmReady: () => Promise.resolve(),
    restoreVm: () => {
      restored++;
      return Promise.resolve();
    },
    runs: () => keptRuns,
    saveArchive: (runs, suites) => {
      keptRuns.push(...runs);
      for (const s of suites) saved.set(s.id, structuredClone(s));
      return Promise.resolve();
    },
    repository: {
      saveSuite: (s) => {
        saves.push(structuredClone(s));
        saved.set(s.id, structuredClone(s));
        return Promise.resolve();
      },
      listSuites: () => Promise.resolve({ suites: [...saved.values()], unreadable: [] }),
      deleteSuite: (id) => Promise.resolve(void saved.delete(id)),
    },
    marker: { get: () => marker, set: (id) => (marker = id) },
    newSuiteId: () => `suite-${++ids}`,
    now: () => new Date("2026-12-01T00:00:00Z"),
    clockMs: () => clock,
  };
  return {
    services,
    saved,
    saves,
    calls,
    marker: () => marker,
    restored: () => restored,
    keptRuns,
    release: () => release?.(),
  };
}

let runIds = 0;
const ran = (reason: StopReason = "finished"): ItemResult => {
  const run = makeRun({ id: `run-${++runIds}` });
  return { kind: "run", run: { ...run, outcome: { ...run.outcome, reason } } };
};
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("suite store", () => {
  it("runs every item in order, saving the suite after each run", async () => {
    const w = world(() => ran());
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("  Nightly ", SPEC);
    expect(suite.name).toBe("Nightly");
    await store.getState().run(suite.id);
    expect(w.calls).toEqual(["a|reference", "a|gpt-x", "b|reference", "b|gpt-x"]);
    expect(store.getState().phase).toBe("done");
    // One save at creation, then one after every run.
    expect(w.saves.map((s) => Object.keys(s.runs).length)).toEqual([0, 1, 2, 3, 4]);
    expect(Object.keys(w.saved.get(suite.id)?.runs ?? {})).toEqual([
      "a|oracle/reference|1",
      "a|openai/gpt-x|1",
      "b|oracle/reference|1",
      "b|openai/gpt-x|1",
    ]);
    expect(w.marker()).toBeUndefined();
    expect(suiteProgress(store.getState().suites[0]!, store.getState().itemMs)).toEqual({
      done: 4,
      total: 4,
      msLeft: 0,
    });
  });

  it("goes on after a provider error, and restores Linux after a run that lost it", async () => {
    const w = world((id, agent) =>
      agent.model === "gpt-x" ? ran(id === "a" ? "provider-error" : "vm-error") : ran(),
    );
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    await store.getState().run(suite.id);
    expect(store.getState().phase).toBe("done");
    expect(w.calls).toHaveLength(4);
    expect(w.restored()).toBe(1);
  });

  it("restores a lost VM and tries the item once more before pausing", async () => {
    const lost: ItemResult = { kind: "error", message: "It broke.", lostVm: true };
    const w = world((_, __, call) => (call === 1 ? lost : ran()));
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    await store.getState().run(suite.id);
    expect(store.getState().phase).toBe("done");
    expect(w.calls).toHaveLength(5);
    expect(w.restored()).toBe(1);

    const always = world(() => lost);
    const paused = createSuiteStore(always.services);
    const s2 = await paused.getState().create("s", SPEC);
    await paused.getState().run(s2.id);
    expect(paused.getState()).toMatchObject({ phase: "paused" });
    expect(paused.getState().error).toMatch(/^It broke\. Resume the suite when it is fixed\.$/);
    expect(always.calls).toHaveLength(2);
  });

  it("pauses with what to fix when an item cannot start, and resumes where it was", async () => {
    let keyMissing = true;
    const w = world((_, agent) =>
      agent.model === "gpt-x" && keyMissing
        ? { kind: "error", message: "Enter your openai API key in Settings.", lostVm: false }
        : ran(),
    );
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    await store.getState().run(suite.id);
    expect(store.getState().phase).toBe("paused");
    expect(store.getState().error).toMatch(/API key in Settings\. Resume/);
    expect(suiteProgress(store.getState().suites[0]!, []).done).toBe(1);
    keyMissing = false;
    await store.getState().run(suite.id);
    expect(store.getState()).toMatchObject({ phase: "done", error: undefined });
    expect(w.calls).toEqual(["a|reference", "a|gpt-x", "a|gpt-x", "b|reference", "b|gpt-x"]);
  });

  it("does not start while something else uses Linux, and says what", async () => {
    const w = world(() => ran());
    let busy: string | undefined =
      "Linux is verifying a run: wait for it to end, or stop it, then run the suite.";
    const store = createSuiteStore({ ...w.services, vmBusy: () => busy });
    const suite = await store.getState().create("s", SPEC);
    await store.getState().run(suite.id);
    expect(store.getState()).toMatchObject({ phase: "idle", error: busy });
    expect(w.calls).toEqual([]);
    busy = undefined;
    await store.getState().run(suite.id);
    expect(store.getState()).toMatchObject({ phase: "done", error: undefined });
    expect(w.calls).toHaveLength(4);
  });

  it("pauses when a task is not in the catalogue", async () => {
    const w = world(() => ran());
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", { ...SPEC, tasks: ["gone"] });
    await store.getState().run(suite.id);
    expect(store.getState().error).toMatch(/Task gone is not in this OpsLab's catalogue/);
    expect(w.calls).toEqual([]);
  });

  it("pause lets the item under way finish; stop ends it and it runs again on resume", async () => {
    const w = world((_, __, call) => (call === 2 || call === 3 ? "hang" : ran()));
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    const running = store.getState().run(suite.id);
    await tick();
    expect(store.getState().current).toMatchObject({ taskId: "a", agent: MODEL });
    store.getState().stop();
    await running;
    expect(store.getState()).toMatchObject({ phase: "paused", current: undefined });
    // The stopped item is not the item's answer.
    expect(Object.keys(store.getState().suites[0]!.runs)).toEqual(["a|oracle/reference|1"]);

    const resumed = store.getState().run(suite.id);
    await tick();
    expect(store.getState().current).toMatchObject({ taskId: "a", agent: MODEL });
    store.getState().pause();
    expect(store.getState().phase).toBe("pausing");
    w.release();
    await resumed;
    expect(store.getState().phase).toBe("paused");
    expect(Object.keys(store.getState().suites[0]!.runs)).toHaveLength(2);
    expect(w.calls).toEqual(["a|reference", "a|gpt-x", "a|gpt-x"]);
  });

  it("after a reload, resumes the suite that was running; not one that was paused", async () => {
    const w = world((_, __, call) => (call === 2 ? "hang" : ran()));
    const first = createSuiteStore(w.services);
    const suite = await first.getState().create("s", SPEC);
    void first.getState().run(suite.id);
    await tick();
    expect(w.marker()).toBe(suite.id);
    // The tab reloads mid-item: a new store over the same storage.
    const second = createSuiteStore(w.services);
    await second.getState().load();
    expect(second.getState()).toMatchObject({ phase: "done", resumedAfterReload: true });
    expect(w.calls).toEqual(["a|reference", "a|gpt-x", "a|gpt-x", "b|reference", "b|gpt-x"]);

    const third = createSuiteStore(w.services);
    const other = await third.getState().create("t", SPEC);
    await third.getState().load();
    expect(third.getState().phase).toBe("idle");
    expect(third.getState().suites.map((s) => s.id)).toContain(other.id);
  });

  it("deletes a suite", async () => {
    const w = world(() => ran());
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    expect(store.getState().suites).toHaveLength(1);
    expect(w.saved.has(suite.id)).toBe(true);
    await store.getState().remove(suite.id);
    expect(store.getState().suites).toEqual([]);
    expect(w.saved.size).toBe(0);
  });

  it("says when the suite could not be saved, and goes on in the tab", async () => {
    const w = world(() => ran());
    w.services.repository!.saveSuite = () => Promise.reject(new Error("QuotaExceededError"));
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    await store.getState().run(suite.id);
    expect(store.getState().phase).toBe("done");
    expect(store.getState().storageNote).toMatch(/could not be saved \(QuotaExceededError\)/);
  });
});

describe("time estimates", () => {
  it("uses earlier runs of the same task and kind of agent, else a default per agent", () => {
    const past: RunRecord[] = [
      makeRun({
        task: { id: "a", title: "A", domain: "sysadmin", difficulty: "easy" },
        agent: { provider: "scripted", model: "oracle", toolMode: "native" },
        events: [{ type: "setup", atMs: 0, durationMs: 980 }],
      }),
    ];
    // makeRun's outcome says 20 ms: 20 + 980 for oracle on a; defaults elsewhere.
    expect(estimateSuiteMs(SPEC, past)).toBe(
      1000 + MODEL_ITEM_ESTIMATE_MS + ORACLE_ITEM_ESTIMATE_MS + MODEL_ITEM_ESTIMATE_MS,
    );
  });
  it("tells the time left from the mean of items run so far", () => {
    const suite: SuiteRecord = {
      schemaVersion: 1,
      id: "s",
      name: "s",
      createdAt: "2026-01-01T00:00:00Z",
      spec: SPEC,
      runs: { "a|oracle/reference|1": "r" },
    };
    expect(suiteProgress(suite, [])).toEqual({ done: 1, total: 4, msLeft: undefined });
    expect(suiteProgress(suite, [1000, 3000])).toEqual({ done: 1, total: 4, msLeft: 6000 });
  });
});

describe("items through the run store", () => {
  const passing = new FakeVm((command) =>
    command.includes("check.sh") ? { stdout: "PASS: ok\n" } : { stdout: "exit code: 0\n" },
  );
  function runStore(models: string[], setups: (RunSetup | undefined)[] = []) {
    return createRunStore({
      vm: () => passing,
      createClient: (agent, t, model, setup) => {
        models.push(agent === "oracle" ? "oracle" : (model ?? "settings"));
        setups.push(setup);
        return createOracleClient(t.solutionScript);
      },
      limits: (t, setup) => ({
        ...limitsForTask(t),
        policy: setup ? setup.policy : { preset: "no-destructive" },
      }),
      runOptions: () => ({ prices: {}, stopOnWarning: false, secrets: [] }),
      runTask: runTaskWithAgent,
      newRunId: () => `run-${++runIds}`,
      now: () => new Date(0),
      repository: undefined,
    });
  }

  it("runs an item as a single run goes, with the suite's model, and keeps its record", async () => {
    const models: string[] = [];
    const runs = runStore(models);
    const through = runItemsThrough(runs, () => "openai");
    const oracle = await through.runItem(task("a"), ORACLE_AGENT);
    const model = await through.runItem(task("a"), MODEL);
    expect(models).toEqual(["oracle", "gpt-x"]);
    expect(oracle.kind === "run" && oracle.run.outcome.verdict).toBe("pass");
    expect(model.kind === "run" && runs.getState().history[0]?.id === model.run.id).toBe(true);
  });

  it("runs an item under its setup's policy and effort, not Settings' (none is none)", async () => {
    const setups: (RunSetup | undefined)[] = [];
    const runs = runStore([], setups);
    const through = runItemsThrough(runs, () => "openai");
    const chmod = { ...task("a"), solutionScript: "chmod 600 /etc/shadow" };
    const readOnly = await through.runItem(chmod, {
      ...ORACLE_AGENT,
      policy: { preset: "read-only" },
    });
    const none = await through.runItem(chmod, ORACLE_AGENT);
    await through.runItem(task("a"), { ...MODEL, effort: "high" });
    expect(setups).toEqual([
      { policy: { preset: "read-only" }, effort: undefined },
      { policy: undefined, effort: undefined },
      { policy: undefined, effort: "high" },
    ]);
    const refused = (r: ItemResult) =>
      r.kind === "run"
        ? r.run.events.filter((e) => e.type === "tool-result" && e.outcome.kind === "refused")
            .length
        : -1;
    expect(readOnly.kind === "run" && readOnly.run.limits.policy).toEqual({ preset: "read-only" });
    expect(refused(readOnly)).toBeGreaterThan(0);
    expect(none.kind === "run" && none.run.limits.policy).toBeUndefined();
    expect(refused(none)).toBe(0);
  });

  it("refuses a model of another provider than Settings', saying what to choose", async () => {
    const through = runItemsThrough(runStore([]), () => "anthropic");
    expect(await through.runItem(task("a"), MODEL)).toEqual({
      kind: "error",
      lostVm: false,
      message: expect.stringMatching(/through openai, and Settings has anthropic/),
    });
  });
});

describe("export and import", () => {
  it("exports a suite with its runs; imports it elsewhere, and merges a suite's other shard", async () => {
    const w = world(() => ran());
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    await store.getState().run(suite.id);
    // The run store's history holds what runItem made; here the test keeps it.
    const runIds = Object.values(store.getState().suites[0]!.runs);
    w.keptRuns.push(...runIds.map((id) => makeRun({ id })), makeRun({ id: "unrelated" }));
    const archive = store.getState().exportSuite(suite.id)!;
    expect(archive.runs.map((r) => r.id).sort()).toEqual([...runIds].sort());
    const text = JSON.stringify(archive);

    const elsewhere = world(() => ran());
    const fresh = createSuiteStore(elsewhere.services);
    const imported = await fresh.getState().importArchive(JSON.parse(text));
    expect(imported.runs).toBe(4);
    expect(fresh.getState().suites).toEqual([store.getState().suites[0]]);
    expect(elsewhere.keptRuns).toHaveLength(4);
    expect(elsewhere.saved.get(suite.id)).toEqual(store.getState().suites[0]);

    // A suite here with some items, and a file with others: the suite gets them all.
    const [first, ...rest] = Object.entries(store.getState().suites[0]!.runs);
    const half = { ...suite, runs: Object.fromEntries([first!]) };
    const other = world(() => ran());
    const partial = createSuiteStore(other.services);
    await partial.getState().importArchive(makeArchive([], [half], "the first half"));
    await partial.getState().importArchive({
      ...archive,
      suites: [{ ...suite, runs: Object.fromEntries(rest) }],
    });
    expect(partial.getState().suites[0]?.runs).toEqual(store.getState().suites[0]?.runs);
  });

  it("refuses a foreign or clashing file and changes nothing", async () => {
    const w = world(() => ran());
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    await store.getState().run(suite.id);
    const before = structuredClone(store.getState().suites);
    await expect(store.getState().importArchive({ hello: 1 })).rejects.toThrow(
      /not an OpsLab archive.*Nothing was imported/,
    );
    const clash = {
      ...suite,
      runs: Object.fromEntries(Object.keys(before[0]!.runs).map((k) => [k, "another-run"])),
    };
    await expect(store.getState().importArchive(makeArchiveOf([clash]))).rejects.toThrow(
      /has two runs/,
    );
    expect(store.getState().suites).toEqual(before);
    expect(w.keptRuns).toEqual([]);
  });
});

function makeArchiveOf(suites: SuiteRecord[]) {
  return JSON.parse(JSON.stringify(makeArchive([], suites, "test")));
}

describe("one tab at a time, and a Stop from the run panel", () => {
  it("neither resumes nor runs a suite another tab holds, and holds its own while it runs", async () => {
    const w = world(() => ran());
    const held = new Set<string>();
    const elsewhere = new Set<string>();
    w.services.hold = (id) => {
      held.add(id);
      return () => held.delete(id);
    };
    w.services.heldElsewhere = (id) => Promise.resolve(elsewhere.has(id));
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    elsewhere.add(suite.id);
    await store.getState().run(suite.id);
    expect(store.getState().error).toMatch(/running in another tab/);
    expect(w.calls).toEqual([]);
    w.services.marker.set(suite.id);
    const reloaded = createSuiteStore(w.services);
    await reloaded.getState().load();
    expect(reloaded.getState().phase).toBe("idle");

    elsewhere.clear();
    const seen: boolean[] = [];
    const plain = world(() => ran());
    w.services.runItem = (t, agent) => {
      seen.push(held.has(suite.id));
      return plain.services.runItem(t, agent);
    };
    await store.getState().run(suite.id);
    expect(store.getState().phase).toBe("done");
    expect(seen).toEqual([true, true, true, true]);
    expect(held.size).toBe(0);
  });

  it("pauses when the item's run was stopped in the run panel; the item runs again on resume", async () => {
    const w = world((_, __, call) => (call === 1 ? ran("stopped") : ran()));
    const store = createSuiteStore(w.services);
    const suite = await store.getState().create("s", SPEC);
    await store.getState().run(suite.id);
    expect(store.getState()).toMatchObject({ phase: "paused" });
    expect(store.getState().error).toMatch(/stopped in the run panel/);
    expect(store.getState().suites[0]?.runs).toEqual({});
    await store.getState().run(suite.id);
    expect(w.calls).toEqual(["a|reference", "a|reference", "a|gpt-x", "b|reference", "b|gpt-x"]);
  });
});

describe("a results file of npm run suite", () => {
  it("imports into the page and gives its table", async () => {
    const file = readFileSync(
      new URL("./fixtures/node-suite-results.json", import.meta.url),
      "utf8",
    );
    const w = world(() => ran());
    const store = createSuiteStore(w.services);
    const { runs, suites } = await store.getState().importArchive(JSON.parse(file));
    expect(runs).toBe(1);
    expect(suites[0]?.spec).toEqual({
      tasks: ["login-path-broken"],
      agents: [ORACLE_AGENT],
      trials: 1,
    });
    const board = suiteLeaderboard(suites[0]!, new Map(w.keptRuns.map((r) => [r.id, r])));
    expect(board.agents.map((a) => [a.key, a.all.passes, a.all.runs])).toEqual([
      ["oracle/reference", 1, 1],
    ]);
  });
});
