// Unit tests: a comparison saved, listed, opened over its runs, shared as one link without the key, and a bad link or lost run saying what is wrong.
import { describe, expect, it } from "vitest";
import { buildComparison } from "../analysis/comparison";
import type { ComparisonRecord } from "../domain/comparison";
import { makeRun } from "../domain/run-builders";
import { summarizeEvents, type RunEvent, type RunRecord } from "../domain/run";
import { ScriptedClient } from "../agent/scripted-client";
import { makeTask } from "../domain/task-builders";
import { limitsForTask, runTaskWithAgent } from "../tasks/agent-run";
import { FakeVm } from "../vm/fake-vm";
import { createCompareStore, type CompareServices, type CompareRunServices } from "./compare-store";

const KEY = "sk-secret-key-123";

function runOf(id: string, ...commands: string[]): RunRecord {
  const events: RunEvent[] = commands.map((command, i) => ({
    type: "tool-call",
    atMs: i,
    step: i + 1,
    callId: `c${i}`,
    input: { tool: "run_command", command },
  }));
  return makeRun({ id, events, outcome: summarizeEvents(events) });
}

const left = runOf("L", "ls /srv", `curl -H 'Authorization: ${KEY}' http://x/`, "chmod 755 /srv");
const right = runOf("R", "ls /srv", "chmod 755 /srv");
const record = buildComparison("cmp1", new Date("2026-12-03T10:00:00Z"), left, right);

function services(runs: RunRecord[]): CompareServices {
  const kept = new Map<string, ComparisonRecord>();
  return {
    comparisons: {
      put: (r) => Promise.resolve(void kept.set(r.id, r)),
      get: (id) => Promise.resolve(kept.get(id)),
      list: () => Promise.resolve({ comparisons: [...kept.values()], unreadable: [] }),
    },
    listRuns: () => Promise.resolve(runs),
    secrets: () => [KEY],
    folderHash: () => "ab".repeat(32),
  };
}

describe("compare store", () => {
  it("saves, lists and opens a comparison over its two runs", async () => {
    const store = createCompareStore(services([left, right]));
    await store.getState().save(record);
    expect(store.getState().comparisons.map((c) => c.id)).toEqual(["cmp1"]);
    await store.getState().openSaved("cmp1");
    const opened = store.getState().opened;
    expect(opened.status).toBe("shown");
    if (opened.status !== "shown") return;
    expect(opened.view.alignment.divergence?.row).toBe(1);
    expect(opened.view.alignment.rows).toHaveLength(3);
  });

  it("says so when a run of the comparison is gone, or the comparison is", async () => {
    const store = createCompareStore(services([left]));
    await store.getState().save(record);
    await store.getState().openSaved("cmp1");
    expect(store.getState().opened).toMatchObject({ status: "failed", message: /no longer kept/ });
    await store.getState().openSaved("nope");
    expect(store.getState().opened).toMatchObject({ status: "failed", message: /no comparison/ });
  });

  it("shares the opened comparison as one link that holds no key, and opens it", async () => {
    const store = createCompareStore(services([left, right]));
    await store.getState().save(record);
    await store.getState().openSaved("cmp1");
    const payload = await store.getState().linkPayload();
    const reader = createCompareStore(services([]));
    await reader.getState().openShared(payload);
    const opened = reader.getState().opened;
    expect(opened.status).toBe("shown");
    if (opened.status !== "shown") return;
    expect(opened.shared).toBe(true);
    expect(JSON.stringify(opened.view.left)).not.toContain(KEY);
    expect(opened.view.comparison).toEqual(record);
  });

  it("says what is wrong with a bad link", async () => {
    const store = createCompareStore(services([]));
    await store.getState().openShared("v1.AAAA");
    expect(store.getState().opened).toMatchObject({ status: "failed", message: /link/ });
    await store.getState().openShared("hello");
    expect(store.getState().opened).toMatchObject({ status: "failed", message: /not an OpsLab/ });
  });
});

describe("compare store, running", () => {
  const task = makeTask();
  const scripts: Record<string, ScriptedClient> = {};
  function running(saved: RunRecord[]): CompareServices {
    let n = 0;
    const run: CompareRunServices = {
      task: () => task,
      pageVm: () => new FakeVm(),
      startVm: () => Promise.resolve(new FakeVm()),
      createClient: (model) => Promise.resolve(scripts[model]!),
      limits: (t) => limitsForTask(t),
      runOptions: () => ({ prices: {}, stopOnWarning: false, secrets: [] }),
      runTask: runTaskWithAgent,
      newId: () => `id${n++}`,
      now: () => new Date("2026-12-03T10:00:00Z"),
      saveRun: (record) => Promise.resolve(void saved.push(record)),
    };
    return { ...services(saved), run };
  }
  const turn = (command: string) => ({ toolCalls: [{ name: "run_command", args: { command } }] });

  it("runs two models, asks at their first disagreement, and saves both runs and the comparison", async () => {
    scripts.a = new ScriptedClient([turn("ls /srv"), turn("chmod 755 /srv")], "a");
    scripts.b = new ScriptedClient([turn("ls /srv"), turn("cat /etc/hosts")], "b");
    const saved: RunRecord[] = [];
    const store = createCompareStore(running(saved));
    const done = store.getState().start(["a", "b"], true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const live = store.getState().live;
    expect(live.status).toBe("running");
    if (live.status !== "running") return;
    expect(live.question?.step).toBe(2);
    store.getState().answer("continue");
    await done;
    const end = store.getState().live;
    expect(end.status).toBe("done");
    expect(saved.map((r) => [r.agent.model, r.comparison?.side])).toEqual([
      ["a", "left"],
      ["b", "right"],
    ]);
    expect(store.getState().comparisons).toHaveLength(1);
    expect(store.getState().comparisons[0]?.pause).toEqual({ step: 2, decision: "continue" });
  });

  it("says what is missing when there is no task or no Linux", async () => {
    const store = createCompareStore(services([]));
    await store.getState().start(["a", "b"], false);
    expect(store.getState().live).toMatchObject({ status: "failed", message: /Choose a task/ });
  });

  it("does not start while something else uses the page's Linux, and says what", async () => {
    const saved: RunRecord[] = [];
    const base = running(saved);
    const busy = "An agent run is using Linux: wait for it to end, or stop it, then compare.";
    const store = createCompareStore({ ...base, run: { ...base.run!, vmBusy: () => busy } });
    await store.getState().start(["model-a", "model-b"], false);
    expect(store.getState().live).toEqual({ status: "failed", message: busy });
    expect(saved).toEqual([]);
  });
});
