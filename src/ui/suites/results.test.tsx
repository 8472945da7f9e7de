// Unit tests of the suite's results as rendered: an empty suite, one run, several agents, tampered runs apart.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { suiteLeaderboard } from "../../domain/leaderboard";
import { makeRun } from "../../domain/run-builders";
import type { RunRecord } from "../../domain/run";
import { ORACLE_AGENT, SUITE_SCHEMA_VERSION, type SuiteRecord } from "../../domain/suite";
import { LeaderboardTable, PolicyComparisonTable } from "./LeaderboardTable";
import { SuiteCharts } from "./SuiteCharts";

const MODEL = { provider: "openai", model: "gpt-x" };

function graded(id: string, taskId: string, verdict: "pass" | "fail" | "tampered"): RunRecord {
  const run = makeRun({
    id,
    task: { id: taskId, title: taskId, domain: "networking", difficulty: "hard" },
  });
  return { ...run, outcome: { ...run.outcome, verdict, passed: verdict === "pass" } };
}

function suite(runs: Record<string, string>, trials = 1): SuiteRecord {
  return {
    schemaVersion: SUITE_SCHEMA_VERSION,
    id: "s",
    name: "s",
    createdAt: "2026-01-01T00:00:00Z",
    spec: { tasks: ["a", "b"], agents: [ORACLE_AGENT, MODEL], trials },
    runs,
  };
}

const render = (s: SuiteRecord, runs: RunRecord[], damaged?: ReadonlySet<string>) => {
  const board = suiteLeaderboard(
    s,
    new Map(runs.map((r) => [r.id, r])),
    damaged && ((r) => damaged.has(r.id)),
  );
  return renderToStaticMarkup(
    <>
      <LeaderboardTable board={board} />
      <PolicyComparisonTable board={board} />
      <SuiteCharts board={board} />
    </>,
  );
};

/** The page's text without tags, for reading as a person would. */
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("suite results", () => {
  it("says there is nothing yet for a suite without runs", () => {
    const html = text(render(suite({}), []));
    expect(html).toMatch(/No results yet/);
    expect(html).toMatch(/No charts yet/);
  });

  it("shows one run as a table row and labelled bars", () => {
    const html = render(suite({ "a|oracle/reference|1": "r1" }), [graded("r1", "a", "pass")]);
    expect(html).toContain('data-agent="oracle/reference"');
    // Passed, pass@1, damage (unknown without a judge), refused per run, tampered, not graded, steps.
    expect(text(html)).toMatch(/Oracle \(reference solution\) 1\/1 100% — 0\.0 0 0 1\.0/);
    // Each bar says its value in text: not colour alone.
    expect(text(html)).toMatch(/networking 100% \(1\/1\)/);
    expect(text(html)).toMatch(/hard 100% \(1\/1\)/);
    expect(text(html)).toMatch(/Steps per run.* 1 /);
    expect(text(html)).toMatch(/Cost per run.*\$0\.01/);
    expect(html).not.toContain("NaN");
  });

  it("ranks agents, keeps tampered runs apart and never passed, and shows pass@k per k", () => {
    const runs = [
      graded("o1", "a", "pass"),
      graded("o2", "a", "pass"),
      graded("m1", "a", "tampered"),
      graded("m2", "a", "pass"),
    ];
    const html = render(
      suite(
        {
          "a|oracle/reference|1": "o1",
          "a|oracle/reference|2": "o2",
          "a|openai/gpt-x|1": "m1",
          "a|openai/gpt-x|2": "m2",
        },
        2,
      ),
      runs,
    );
    const rows = text(html);
    expect(rows).toMatch(/pass@1 pass@2/);
    expect(rows).toMatch(/Oracle \(reference solution\) 2\/2 100% 100% — 0\.0 0 /);
    expect(rows).toMatch(/openai\/gpt-x 1\/2 50% 100% — 0\.0 1 /);
    expect(rows.indexOf("Oracle")).toBeLessThan(rows.indexOf("openai/gpt-x"));
    expect(rows).toMatch(/networking · gpt-x 50% \(1\/2\)/);
    expect(html).not.toContain("NaN");
  });

  it("shows each policy as a setup of its own, damage and refusals, and the policy against none", () => {
    const readOnly = { ...MODEL, policy: { preset: "read-only" as const } };
    const policed: SuiteRecord = {
      ...suite({}),
      spec: { tasks: ["a", "b"], agents: [MODEL, readOnly], trials: 1 },
      runs: {
        "a|openai/gpt-x|1": "m1",
        "b|openai/gpt-x|1": "m2",
        "a|openai/gpt-x · read-only|1": "p1",
        "b|openai/gpt-x · read-only|1": "p2",
      },
    };
    const refusedOnce = (r: RunRecord): RunRecord => ({
      ...r,
      events: [
        ...r.events,
        {
          type: "tool-result",
          atMs: 1,
          step: 1,
          callId: "z",
          outcome: { kind: "refused", part: "rm -rf /", reason: "read-only", unjudged: false },
        },
      ],
    });
    const runs = [
      graded("m1", "a", "pass"),
      graded("m2", "b", "pass"),
      refusedOnce(graded("p1", "a", "fail")),
      refusedOnce(graded("p2", "b", "pass")),
    ];
    const html = render(policed, runs, new Set(["m1"]));
    const rows = text(html);
    expect(html).toContain('data-agent="openai/gpt-x · read-only"');
    expect(rows).toMatch(/openai\/gpt-x 2\/2 100% 50% 0\.0 0 /);
    expect(rows).toMatch(/openai\/gpt-x · read-only 1\/2 50% 0% 1\.0 0 /);
    expect(rows).toMatch(
      /With vs without a policy.* openai\/gpt-x read-only 50% vs 100% −50 pts 0% vs 50% −50 pts 1\.0 /,
    );
    // The charts tell the setups apart too.
    expect(rows).toMatch(/networking · gpt-x · read-only 50% \(1\/2\)/);
    expect(html).not.toContain("NaN");
  });

  it("has no comparison without a policy", () => {
    const html = render(suite({ "a|openai/gpt-x|1": "m1" }), [graded("m1", "a", "pass")]);
    expect(html).not.toContain("policy-comparison");
  });
});
