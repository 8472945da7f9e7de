// Unit tests of run summaries and reading stored runs.
import { describe, expect, it } from "vitest";
import { restoreRun, summarizeEvents } from "./run";
import { makeRun } from "./run-builders";

describe("runs", () => {
  it("summarises steps, commands, tokens, cost and the end", () => {
    expect(makeRun().outcome).toEqual({
      reason: "finished",
      passed: null,
      verdict: null,
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

  it("gives the verdict of a grade: tampered wins over what the grader printed", () => {
    const grade = {
      passed: false,
      checks: [{ passed: true, text: "site up" }],
      exitCode: 0,
      notes: [],
      durationMs: 5,
    };
    const graded = (g: typeof grade & { integrity?: unknown }) =>
      summarizeEvents([{ type: "graded", atMs: 1, grade: g as never }]);
    expect(graded({ ...grade, passed: true })).toMatchObject({ passed: true, verdict: "pass" });
    expect(graded(grade)).toMatchObject({ passed: false, verdict: "fail" });
    const integrity = {
      ok: false,
      findings: [{ kind: "file", where: "/usr/bin/curl", detail: "changed" }],
      stopped: [],
      durationMs: 3,
    };
    expect(graded({ ...grade, integrity })).toMatchObject({ passed: false, verdict: "tampered" });
  });

  it("reads a version 1 record as it was stored (before grades had integrity reports)", () => {
    const v1 = {
      schemaVersion: 1,
      id: "r1",
      createdAt: "2026-11-20T10:00:00.000Z",
      task: { id: "nginx-reports-403", title: "Reports", domain: "sysadmin", difficulty: "easy" },
      agent: { provider: "openai", model: "gpt-x", toolMode: "native" },
      limits: { maxSteps: 30, maxSeconds: 900, maxTokens: 0, maxCostUsd: 0, commandSeconds: 60 },
      events: [
        { type: "setup", atMs: 0, durationMs: 3000, fromSavedState: false },
        { type: "finished", atMs: 10, reason: "finished", summary: "done" },
        {
          type: "graded",
          atMs: 20,
          grade: {
            passed: true,
            checks: [{ passed: true, text: "ok" }],
            exitCode: 0,
            notes: [],
            durationMs: 9,
          },
        },
      ],
      outcome: { passed: true },
    };
    expect(restoreRun(v1).outcome).toMatchObject({
      reason: "finished",
      passed: true,
      verdict: "pass",
    });
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
