// Unit tests of run summaries and reading stored runs.
import { describe, expect, it } from "vitest";
import { restoreRun } from "./run";
import { makeRun } from "./run-builders";

describe("runs", () => {
  it("summarises steps, commands, tokens, cost and the end", () => {
    expect(makeRun().outcome).toEqual({
      reason: "finished",
      passed: null,
      steps: 1,
      commands: 1,
      totalTokens: 55,
      costUsd: 0.01,
      durationMs: 20,
      warnings: 0,
    });
  });

  it("reads a stored run back, recomputing its outcome", () => {
    const stored = JSON.parse(
      JSON.stringify({ ...makeRun(), outcome: { forged: true } }),
    ) as unknown;
    expect(restoreRun(stored).outcome.commands).toBe(1);
  });

  it("refuses damaged or too new records with a clear message", () => {
    expect(() => restoreRun("x")).toThrow(/cannot be read \(not an object\)/);
    expect(() => restoreRun({ ...makeRun(), schemaVersion: 99 })).toThrow(/newer than this OpsLab/);
    expect(() => restoreRun({ ...makeRun(), events: [{ type: "usage" }] })).toThrow(
      /damaged event/,
    );
    expect(() => restoreRun({ ...makeRun(), id: "" })).toThrow(/no id/);
  });
});
