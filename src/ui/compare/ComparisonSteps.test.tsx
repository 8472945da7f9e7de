// Unit tests of the side-by-side steps as first painted: rows as aligned, the first divergence marked, the guest's and model's text shown as text.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { COMPARISON_SCHEMA_VERSION } from "../../domain/comparison";
import { makeRun } from "../../domain/run-builders";
import { summarizeEvents, type RunEvent, type RunRecord } from "../../domain/run";
import { comparisonView } from "../../state/compare-view";
import { ComparisonSteps } from "./ComparisonSteps";

function runOf(id: string, model: string, ...commands: string[]): RunRecord {
  const events: RunEvent[] = commands.flatMap((command, i): RunEvent[] => [
    { type: "reasoning", atMs: i, step: i + 1, text: `<img src=x onerror=alert(${i})>` },
    {
      type: "tool-call",
      atMs: i,
      step: i + 1,
      callId: `c${i}`,
      input: { tool: "run_command", command },
    },
  ]);
  return makeRun({
    id,
    agent: { provider: "p", model, toolMode: "native" },
    events,
    outcome: summarizeEvents(events),
  });
}

const left = runOf("L", "model-a", "ls /srv", "namei -l /srv/x", "chmod 755 /srv");
const right = runOf("R", "model-b", "ls /srv", "chmod 755 /srv");
const record = {
  schemaVersion: COMPARISON_SCHEMA_VERSION,
  id: "c",
  createdAt: "2026-12-03T10:00:00.000Z",
  task: left.task,
  runIds: ["L", "R"] as [string, string],
  agents: [
    { provider: "p", model: "model-a" },
    { provider: "p", model: "model-b" },
  ] as [{ provider: string; model: string }, { provider: string; model: string }],
  rows: [
    [0, 0],
    [1, null],
    [2, 1],
  ] as [number | null, number | null][],
  divergenceRow: 1,
};

describe("ComparisonSteps", () => {
  it("shows the rows as aligned with the first divergence marked at its row", () => {
    const html = renderToStaticMarkup(
      <ComparisonSteps view={comparisonView(record, left, right)} />,
    );
    const rows = [...html.matchAll(/<tr data-match="([a-z-]+)"( data-divergence="first")?/g)];
    expect(rows.map((m) => [m[1], Boolean(m[2])])).toEqual([
      ["same", false],
      ["left-only", true],
      ["same", false],
    ]);
    expect(html).toContain("They first part at row 2");
    expect(html).toContain("model-a");
    expect(html).toContain("model-b");
  });

  it("shows the model's text as text, never as markup", () => {
    const html = renderToStaticMarkup(
      <ComparisonSteps view={comparisonView(record, left, right)} />,
    );
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x");
  });

  it("says when the runs never parted", () => {
    const same = {
      ...record,
      rows: [
        [0, 0],
        [1, null],
        [2, 1],
      ] as typeof record.rows,
      divergenceRow: null,
    };
    const html = renderToStaticMarkup(<ComparisonSteps view={comparisonView(same, left, right)} />);
    expect(html).toContain("They made the same calls throughout.");
  });
});
