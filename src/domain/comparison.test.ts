// Unit tests: reading a stored or shared comparison, and refusing a damaged one with a clear reason.
import { describe, expect, it } from "vitest";
import { COMPARISON_SCHEMA_VERSION, ComparisonFormatError, restoreComparison } from "./comparison";

const RECORD = {
  schemaVersion: COMPARISON_SCHEMA_VERSION,
  id: "cmp1",
  createdAt: "2026-12-03T10:00:00.000Z",
  task: { id: "t", title: "T", domain: "sysadmin", difficulty: "easy" },
  runIds: ["a", "b"],
  agents: [
    { provider: "openai", model: "m1" },
    { provider: "anthropic", model: "m2" },
  ],
  rows: [
    [0, 0],
    [1, null],
    [null, 1],
  ],
  divergenceRow: 1,
};

describe("restoreComparison", () => {
  it("reads a record and keeps fields it does not know", () => {
    expect(restoreComparison({ ...RECORD, later: 1 })).toEqual({ ...RECORD, later: 1 });
    expect(
      restoreComparison({ ...RECORD, pause: { step: 2, decision: "keep-left" } }).pause,
    ).toEqual({ step: 2, decision: "keep-left" });
  });

  it.each([
    ["not an object", 42, /record/],
    ["no id", { ...RECORD, id: "" }, /id/],
    ["one run", { ...RECORD, runIds: ["a"] }, /runIds/],
    ["a bad date", { ...RECORD, createdAt: "yesterday" }, /createdAt/],
    ["a negative index", { ...RECORD, rows: [[-1, 0]] }, /rows/],
    ["an empty row", { ...RECORD, rows: [[null, null]], divergenceRow: null }, /neither/],
    ["a divergence past the rows", { ...RECORD, divergenceRow: 3 }, /past its 3 rows/],
    ["an unknown decision", { ...RECORD, pause: { decision: "maybe" } }, /pause/],
    ["a newer schema", { ...RECORD, schemaVersion: 99 }, /newer.*reload/],
  ])("refuses %s, saying why", (_name, raw, detail) => {
    expect(() => restoreComparison(raw)).toThrow(ComparisonFormatError);
    expect(() => restoreComparison(raw)).toThrow(detail);
  });
});
