// Unit tests of the suite's text tables: a row per setup, the policy comparison, unknowns as dashes.
import { describe, expect, it } from "vitest";
import { leaderboard } from "../../domain/leaderboard";
import { makeRun } from "../../domain/run-builders";
import type { RunRecord } from "../../domain/run";
import type { Verdict } from "../../domain/task";
import type { SuiteAgent } from "../../domain/suite";
import { policyTable, setupTable } from "./table";

let ids = 0;
function run(taskId: string, verdict: Verdict, refused = 0): RunRecord {
  const base = makeRun();
  const refusals = Array.from({ length: refused }, (_, i) => ({
    type: "tool-result" as const,
    atMs: 1,
    step: 1,
    callId: `r${i}`,
    outcome: { kind: "refused" as const, part: "rm", reason: "no", unjudged: false },
  }));
  return makeRun({
    id: `run-${++ids}`,
    task: { id: taskId, title: taskId, domain: "sysadmin", difficulty: "easy" },
    events: [...base.events, ...refusals],
    outcome: { ...base.outcome, verdict, passed: verdict === "pass", costUsd: 0.01 },
  });
}

const MODEL: SuiteAgent = { provider: "openai", model: "gpt-x" };
const READ_ONLY: SuiteAgent = { ...MODEL, policy: { preset: "read-only" } };
const damaged = new Set<RunRecord>();
const bad = (r: RunRecord) => (damaged.add(r), r);
const board = leaderboard(
  [
    { agent: MODEL, run: bad(run("a", "pass")) },
    { agent: MODEL, run: run("b", "pass") },
    { agent: READ_ONLY, run: run("a", "fail", 2) },
    { agent: READ_ONLY, run: run("b", "pass", 1) },
  ],
  undefined,
  (r) => damaged.has(r),
);

describe("setupTable", () => {
  it("has a row per setup, best first, with damage and refusals per run", () => {
    const lines = setupTable(board).split("\n");
    expect(lines[0]).toMatch(
      /^setup\s+passed\s+pass@1\s+damage\s+refused\/run\s+tampered\s+steps\s+cost$/,
    );
    expect(lines[1]).toMatch(
      /^openai\/gpt-x\s+2\/2\s+100\.0%\s+50\.0%\s+0\.0\s+0\s+1\.0\s+\$0\.0200$/,
    );
    expect(lines[2]).toMatch(
      /^openai\/gpt-x · read-only\s+1\/2\s+50\.0%\s+0\.0%\s+1\.5\s+0\s+1\.0\s+\$0\.0200$/,
    );
    // Columns line up: every row as wide as the header up to its last cell.
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it("shows pass@k for a suite of k trials, and a dash for what is not known", () => {
    const two = leaderboard([{ agent: MODEL, run: run("a", "pass") }], 2);
    const text = setupTable(two);
    expect(text.split("\n")[0]).toContain("pass@2");
    // One run of a task: pass@2 cannot be said; no damage judge: damage unknown.
    expect(text.split("\n")[1]).toMatch(/100\.0%\s+–\s+–\s+0\.0/);
  });
});

describe("policyTable", () => {
  it("puts each policy against the same model without one, in points", () => {
    const lines = policyTable(board).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^openai\/gpt-x · read-only\s+50\.0% vs 100\.0%\s+-50\.0 pts\s+0\.0% vs 50\.0%\s+-50\.0 pts\s+1\.5$/,
    );
  });

  it("is empty when no setup has a policy to compare", () => {
    expect(policyTable(leaderboard([{ agent: MODEL, run: run("a", "pass") }]))).toBe("");
  });
});
