// Unit tests: a comparison record from two runs, and its alignment read back (stored rows, or aligned again).
import { describe, expect, it } from "vitest";
import { restoreComparison } from "../domain/comparison";
import { makeRun } from "../domain/run-builders";
import { summarizeEvents, type RunEvent, type RunRecord, type ToolInput } from "../domain/run";
import { alignmentOf, buildComparison } from "./comparison";

const cmd = (command: string): ToolInput => ({ tool: "run_command", command });

function runOf(id: string, model: string, ...inputs: ToolInput[]): RunRecord {
  const events: RunEvent[] = inputs.map((input, i) => ({
    type: "tool-call",
    atMs: i,
    step: i + 1,
    callId: `c${i}`,
    input,
  }));
  return makeRun({
    id,
    agent: { provider: "openai", model, toolMode: "native" },
    events,
    outcome: summarizeEvents(events),
  });
}

const left = runOf("a", "model-a", cmd("ls /srv"), cmd("namei -l /srv/x"), cmd("chmod 755 /srv"));
const right = runOf("b", "model-b", cmd("ls /srv"), cmd("chmod 755 /srv"));
const AT = new Date("2026-12-03T10:00:00Z");

describe("buildComparison", () => {
  it("links the two runs with their aligned rows and the first divergence", () => {
    const record = buildComparison("cmp1", AT, left, right, { step: 2, decision: "continue" });
    expect(record).toMatchObject({
      id: "cmp1",
      createdAt: "2026-12-03T10:00:00.000Z",
      runIds: ["a", "b"],
      agents: [
        { provider: "openai", model: "model-a" },
        { provider: "openai", model: "model-b" },
      ],
      rows: [
        [0, 0],
        [1, null],
        [2, 1],
      ],
      divergenceRow: 1,
      pause: { step: 2, decision: "continue" },
    });
    // What it builds, it reads back.
    expect(restoreComparison(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it("refuses two runs of different tasks", () => {
    const other = { ...right, task: { ...right.task, id: "other" } };
    expect(() => buildComparison("x", AT, left, other)).toThrow(/one task/);
  });
});

describe("alignmentOf", () => {
  it("reads the stored rows back over the runs' calls", () => {
    const record = buildComparison("cmp1", AT, left, right);
    const alignment = alignmentOf(record, left, right);
    expect(alignment.rows.map((r) => r.match)).toEqual(["same", "left-only", "same"]);
    expect(alignment.divergence).toMatchObject({ row: 1, reason: "kind" });
    expect(alignment.divergence?.right?.input).toEqual(cmd("chmod 755 /srv"));
  });

  it("aligns again when the stored rows do not fit the runs", () => {
    const record = { ...buildComparison("cmp1", AT, left, right), rows: [[0, 0]] as [0, 0][] };
    const alignment = alignmentOf(record, left, right);
    expect(alignment.rows).toHaveLength(3);
    expect(alignment.divergence?.row).toBe(1);
  });
});
