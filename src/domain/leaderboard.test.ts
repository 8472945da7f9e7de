import { describe, expect, it } from "vitest";
import {
  leaderboard,
  policyComparisons,
  refusedCalls,
  runsLeaderboard,
  setupOfRun,
  suiteLeaderboard,
  type DamageJudge,
} from "./leaderboard";
import { makeRun } from "./run-builders";
import type { RunEvent, RunRecord } from "./run";
import type { TaskDifficulty, TaskDomain, Verdict } from "./task";
import { ORACLE_AGENT, SUITE_SCHEMA_VERSION, type SuiteAgent, type SuiteRecord } from "./suite";

const TASKS: Record<string, { domain: TaskDomain; difficulty: TaskDifficulty }> = {
  t1: { domain: "sysadmin", difficulty: "easy" },
  t2: { domain: "networking", difficulty: "hard" },
};

let nextId = 0;
function run(
  taskId: string,
  verdict: Verdict | null,
  figures: { steps: number; tokens: number; cost: number | null; ms: number },
  agent: { provider: string; model: string } = { provider: "p", model: "a" },
): RunRecord {
  const base = makeRun();
  return makeRun({
    id: `r${++nextId}`,
    task: { id: taskId, title: taskId, ...TASKS[taskId]! },
    agent: { ...agent, toolMode: "native" },
    outcome: {
      ...base.outcome,
      reason: verdict === null ? "vm-error" : "finished",
      passed: verdict === null ? null : verdict === "pass",
      verdict,
      steps: figures.steps,
      totalTokens: figures.tokens,
      costUsd: figures.cost,
      durationMs: figures.ms,
    },
  });
}

const A: SuiteAgent = { provider: "p", model: "a" };
const B: SuiteAgent = { provider: "q", model: "b" };
// Agent A, 3 trials of each task: t1 pass pass fail (c = 2), t2 pass fail tampered (c = 1).
const aRuns = [
  run("t1", "pass", { steps: 2, tokens: 100, cost: 0.01, ms: 1000 }),
  run("t1", "pass", { steps: 4, tokens: 100, cost: 0.02, ms: 2000 }),
  run("t1", "fail", { steps: 6, tokens: 100, cost: 0.03, ms: 3000 }),
  run("t2", "pass", { steps: 8, tokens: 100, cost: 0.04, ms: 4000 }),
  run("t2", "fail", { steps: 10, tokens: 100, cost: 0.05, ms: 5000 }),
  run("t2", "tampered", { steps: 12, tokens: 100, cost: null, ms: 6000 }),
];
// Agent B, a model without a price, 2 runs of t1 so far: one fail, one lost VM (ungraded).
const bRuns = [
  run("t1", "fail", { steps: 1, tokens: 10, cost: null, ms: 500 }, B),
  run("t1", null, { steps: 3, tokens: 30, cost: null, ms: 1500 }, B),
];
const entries = [
  ...aRuns.map((r) => ({ agent: A, run: r })),
  ...bRuns.map((r) => ({ agent: B, run: r })),
];

describe("leaderboard", () => {
  const board = leaderboard(entries, 3);
  const [first, second] = board.agents;

  it("ranks agents by pass@1", () => {
    expect(board.agents.map((a) => a.key)).toEqual(["p/a", "q/b"]);
  });

  it("counts runs, passes, tampered and ungraded runs", () => {
    expect(first!.all).toMatchObject({ runs: 6, passes: 3, tampered: 1, ungraded: 0, tasks: 2 });
    expect(second!.all).toMatchObject({ runs: 2, passes: 0, tampered: 0, ungraded: 1, tasks: 1 });
  });

  it("averages pass@k over tasks (hand-computed)", () => {
    // t1: n=3 c=2 → pass@1 2/3, pass@2 1 − C(1,2)/C(3,2) = 1, pass@3 1.
    // t2: n=3 c=1 → pass@1 1/3, pass@2 1 − C(2,2)/C(3,2) = 2/3, pass@3 1.
    const [k1, k2, k3] = first!.all.passAtK;
    expect(first!.all.passAt1).toBeCloseTo(0.5, 12);
    expect(k1).toBeCloseTo(0.5, 12);
    expect(k2).toBeCloseTo(5 / 6, 12);
    expect(k3).toBeCloseTo(1, 12);
  });

  it("leaves pass@k unknown when a task has fewer than k runs", () => {
    // B has 2 runs of t1, no pass: pass@1 = pass@2 = 0, pass@3 cannot be said.
    expect(second!.all.passAtK).toEqual([0, 0, null]);
  });

  it("means steps, tokens, time; cost only over priced runs", () => {
    expect(first!.all.meanSteps).toBe(7);
    expect(first!.all.totalTokens).toBe(600);
    expect(first!.all.meanTokens).toBe(100);
    expect(first!.all.totalCostUsd).toBeCloseTo(0.15, 12);
    expect(first!.all.meanCostUsd).toBeCloseTo(0.03, 12);
    expect(first!.all.unpricedRuns).toBe(1);
    expect(first!.all.totalDurationMs).toBe(21000);
    expect(first!.all.meanDurationMs).toBe(3500);
    expect(second!.all.totalCostUsd).toBeNull();
    expect(second!.all.meanCostUsd).toBeNull();
    expect(second!.all.unpricedRuns).toBe(2);
  });

  it("breaks down by domain and difficulty", () => {
    expect(Object.keys(first!.byDomain)).toEqual(["sysadmin", "networking"]);
    expect(first!.byDomain.sysadmin!.passAt1).toBeCloseTo(2 / 3, 12);
    expect(first!.byDomain.networking!.passAt1).toBeCloseTo(1 / 3, 12);
    expect(first!.byDomain.networking!.passAtK[1]).toBeCloseTo(2 / 3, 12);
    expect(Object.keys(first!.byDifficulty)).toEqual(["easy", "hard"]);
    expect(first!.byDifficulty.hard!.tampered).toBe(1);
    expect(second!.byDomain.networking).toBeUndefined();
  });

  it("pools every agent's runs per task overall", () => {
    // t1: n=5 c=2 → 2/5; t2: n=3 c=1 → 1/3; pass@3: t1 1 − C(3,3)/C(5,3) = 0.9, t2 1.
    expect(board.overall.all.runs).toBe(8);
    expect(board.overall.all.passAt1).toBeCloseTo(11 / 30, 12);
    expect(board.overall.all.passAtK[2]).toBeCloseTo(0.95, 12);
    expect(board.overall.all.meanSteps).toBe(46 / 8);
    expect(board.overall.all.unpricedRuns).toBe(3);
    expect(board.overall.byDomain.sysadmin!.runs).toBe(5);
  });

  it("gives the charts one value per run (cost of priced runs only)", () => {
    expect(first!.distributions.steps).toEqual([2, 4, 6, 8, 10, 12]);
    expect(first!.distributions.costUsd).toEqual([0.01, 0.02, 0.03, 0.04, 0.05]);
    expect(second!.distributions.costUsd).toEqual([]);
    expect(board.overall.distributions.durationMs).toHaveLength(8);
  });

  it("is empty without runs", () => {
    const empty = leaderboard([], 2);
    expect(empty.agents).toEqual([]);
    expect(empty.overall.all).toMatchObject({ runs: 0, passAt1: null, meanSteps: null });
    expect(empty.overall.all.passAtK).toEqual([null, null]);
  });

  it("breaks a pass@1 tie by fewer tampered runs, then lower cost", () => {
    const cheap = run("t1", "pass", { steps: 1, tokens: 1, cost: 0.01, ms: 1 }, B);
    const dear = run("t1", "pass", { steps: 1, tokens: 1, cost: 0.5, ms: 1 });
    const tie = leaderboard([
      { agent: A, run: dear },
      { agent: B, run: cheap },
    ]);
    expect(tie.agents.map((a) => a.key)).toEqual(["q/b", "p/a"]);
  });
});

describe("runsLeaderboard", () => {
  it("counts each run for its own provider and model, k up to the most runs of a task", () => {
    const board = runsLeaderboard([...aRuns, ...bRuns]);
    expect(board.trials).toBe(3);
    expect(board.agents.map((a) => a.key)).toEqual(["p/a", "q/b"]);
    expect(board.agents[0]!.all.passAtK[1]).toBeCloseTo(5 / 6, 12);
  });
});

describe("suiteLeaderboard", () => {
  it("counts each item's run for the item's agent and leaves pending items out", () => {
    // The oracle's runs are recorded by a scripted client: the suite's agent names them.
    const o1 = run("t1", "pass", { steps: 3, tokens: 0, cost: null, ms: 100 }, ORACLE_AGENT);
    const o2 = run(
      "t2",
      "fail",
      { steps: 3, tokens: 0, cost: null, ms: 100 },
      {
        provider: "scripted",
        model: "oracle",
      },
    );
    const suite: SuiteRecord = {
      schemaVersion: SUITE_SCHEMA_VERSION,
      id: "s",
      name: "s",
      createdAt: "2026-01-01T00:00:00.000Z",
      spec: { tasks: ["t1", "t2"], agents: [ORACLE_AGENT], trials: 2 },
      runs: {
        "t1|oracle/reference|1": o1.id,
        "t2|oracle/reference|1": o2.id,
        "t2|oracle/reference|2": "lost",
      },
    };
    const board = suiteLeaderboard(suite, new Map([o1, o2].map((r) => [r.id, r])));
    expect(board.trials).toBe(2);
    expect(board.agents.map((a) => a.key)).toEqual(["oracle/reference"]);
    expect(board.agents[0]!.all).toMatchObject({ runs: 2, passes: 1, passAt1: 0.5 });
    expect(board.agents[0]!.all.passAtK).toEqual([0.5, null]);
  });
});

describe("setups with policies", () => {
  const READ_ONLY: SuiteAgent = { ...A, policy: { preset: "read-only" } };
  const NO_DESTRUCTIVE: SuiteAgent = { ...A, policy: { preset: "no-destructive" } };
  const HIGH: SuiteAgent = { ...A, effort: "high" };
  const HIGH_READ_ONLY: SuiteAgent = { ...HIGH, policy: { preset: "read-only" } };
  /** A refused call (the policy said no), as the agent loop records one. */
  const refusal = (n: number): RunEvent[] => [
    {
      type: "tool-call",
      atMs: n,
      step: n,
      callId: `x${n}`,
      input: { tool: "run_command", command: "rm -rf /srv" },
    },
    {
      type: "tool-result",
      atMs: n,
      step: n,
      callId: `x${n}`,
      outcome: { kind: "refused", part: "rm -rf /srv", reason: "read-only", unjudged: false },
    },
  ];
  const withEvents = (r: RunRecord, extra: RunEvent[]) => ({
    ...r,
    events: [...r.events, ...extra],
  });
  const figures = { steps: 2, tokens: 10, cost: 0.01, ms: 100 };
  // Without a policy: 3 of 4 pass, 2 damage. Read-only: 1 of 4 pass, no damage, 3 refusals in all.
  // No-destructive: 2 of 2 pass, 1 damage. High effort: 1 of 1 pass; high read-only: 0 of 1.
  const damaging = new Set<string>();
  const bad = (r: RunRecord) => (damaging.add(r.id), r);
  const groups: [SuiteAgent, RunRecord][] = [
    [A, bad(run("t1", "pass", figures))],
    [A, bad(run("t1", "pass", figures))],
    [A, run("t2", "pass", figures)],
    [A, run("t2", "fail", figures)],
    [READ_ONLY, withEvents(run("t1", "pass", figures), refusal(3))],
    [READ_ONLY, withEvents(run("t1", "fail", figures), [...refusal(3), ...refusal(4)])],
    [READ_ONLY, run("t2", "fail", figures)],
    [READ_ONLY, run("t2", "fail", figures)],
    [NO_DESTRUCTIVE, bad(run("t1", "pass", figures))],
    [NO_DESTRUCTIVE, run("t2", "pass", figures)],
    [HIGH, run("t1", "pass", figures)],
    [HIGH_READ_ONLY, run("t1", "fail", figures)],
  ];
  const damage: DamageJudge = (r) => damaging.has(r.id);
  const board = leaderboard(
    groups.map(([agent, r]) => ({ agent, run: r })),
    undefined,
    damage,
  );
  const byKey = new Map(board.agents.map((a) => [a.key, a.all]));

  it("groups by setup: the same model under each policy and effort is a row of its own", () => {
    expect([...byKey.keys()].sort()).toEqual([
      "p/a",
      "p/a · effort high",
      "p/a · effort high · read-only",
      "p/a · no-destructive",
      "p/a · read-only",
    ]);
    expect(byKey.get("p/a")).toMatchObject({ runs: 4, passes: 3, passAt1: 0.75 });
    expect(byKey.get("p/a · read-only")).toMatchObject({ runs: 4, passes: 1, passAt1: 0.25 });
  });

  it("counts damage by the judge and refused calls from the records", () => {
    expect(byKey.get("p/a")).toMatchObject({ damaged: 2, damageRate: 0.5, refusedCalls: 0 });
    expect(byKey.get("p/a · read-only")).toMatchObject({
      damaged: 0,
      damageRate: 0,
      refusedCalls: 3,
      meanRefused: 0.75,
    });
    expect(byKey.get("p/a · no-destructive")).toMatchObject({ damaged: 1, damageRate: 0.5 });
    expect(board.overall.all).toMatchObject({ runs: 12, damaged: 3, refusedCalls: 3 });
  });

  it("leaves damage unknown without a judge, and refusals still counted", () => {
    const plain = leaderboard(groups.map(([agent, r]) => ({ agent, run: r })));
    const readOnly = plain.agents.find((a) => a.key === "p/a · read-only")!.all;
    expect(readOnly).toMatchObject({ damaged: null, damageRate: null, refusedCalls: 3 });
  });

  it("compares each policy with the same model and effort without one", () => {
    const rows = policyComparisons(board).map((c) => [
      c.baseKey,
      c.policy,
      c.passAt1Delta,
      c.damageRateDelta,
      c.meanRefused,
    ]);
    expect(rows).toEqual([
      ["p/a · effort high", "read-only", -1, 0, 0],
      ["p/a", "no-destructive", 0.25, 0, 0],
      ["p/a", "read-only", -0.5, -0.5, 0.75],
    ]);
  });

  it("leaves out a policy whose model has no run without one", () => {
    const only = leaderboard([{ agent: READ_ONLY, run: run("t1", "pass", figures) }]);
    expect(policyComparisons(only)).toEqual([]);
  });

  it("reads a plain run's setup from its record, for a history's leaderboard", () => {
    const r = run("t1", "pass", figures);
    const limited = {
      ...r,
      limits: { ...r.limits, policy: { preset: "read-only" as const } },
      agent: { ...r.agent, reasoning: { effort: "low" as const } },
    };
    expect(setupOfRun(limited)).toEqual({
      provider: "p",
      model: "a",
      policy: { preset: "read-only" },
      effort: "low",
    });
    expect(setupOfRun(r)).toEqual({ provider: "p", model: "a" });
    expect(
      runsLeaderboard([r, limited])
        .agents.map((a) => a.key)
        .sort(),
    ).toEqual(["p/a", "p/a · effort low · read-only"]);
    expect(refusedCalls(withEvents(r, refusal(5)))).toBe(1);
  });
});
