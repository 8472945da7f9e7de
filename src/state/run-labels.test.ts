// Unit tests of the page's failure-label selector: finished runs only, computed once, steps to marks.
import { describe, expect, it } from "vitest";
import { makeRun } from "../domain/run-builders";
import { summarizeEvents, type RunEvent } from "../domain/run";
import { labelsByStep, runIsDamage, runLabels } from "./run-labels";

const events: RunEvent[] = [
  {
    type: "tool-call",
    atMs: 1,
    step: 1,
    callId: "a",
    input: { tool: "run_command", command: "systemctl restart nginx" },
  },
  {
    type: "tool-result",
    atMs: 2,
    step: 1,
    callId: "a",
    outcome: {
      kind: "command",
      exitCode: 1,
      stdout: "",
      stderr: "failed",
      durationMs: 1,
      timedOut: false,
      truncated: false,
    },
  },
  {
    type: "tool-call",
    atMs: 3,
    step: 2,
    callId: "b",
    input: { tool: "finish", summary: "Fixed." },
  },
  { type: "finished", atMs: 4, reason: "finished", summary: "Fixed." },
  {
    type: "graded",
    atMs: 5,
    grade: {
      passed: false,
      checks: [{ passed: false, text: "site" }],
      exitCode: 1,
      notes: [],
      durationMs: 1,
    },
  },
];

describe("run labels for the page", () => {
  it("labels a finished run once and marks its steps", () => {
    const record = makeRun({ events, outcome: summarizeEvents(events) });
    const labels = runLabels(record);
    expect(labels.map((l) => l.label)).toEqual([
      "ignored-error",
      "premature-finish",
      "no-verification",
    ]);
    expect(runLabels(record)).toBe(labels);
    expect(labelsByStep(labels).get(1)).toEqual(["ignored-error", "no-verification"]);
    expect(labelsByStep(labels).get(2)).toEqual([
      "ignored-error",
      "premature-finish",
      "no-verification",
    ]);
  });

  it("gives a run under way no labels", () => {
    const under = events.slice(0, 2);
    expect(runLabels(makeRun({ events: under, outcome: summarizeEvents(under) }))).toEqual([]);
  });
});

describe("runIsDamage", () => {
  const destroying = (finished: boolean, command = "iptables -F") =>
    makeRun({
      events: [
        {
          type: "tool-call",
          atMs: 1,
          step: 1,
          callId: "d",
          input: { tool: "run_command", command },
        },
        {
          type: "tool-result",
          atMs: 2,
          step: 1,
          callId: "d",
          outcome: {
            kind: "command",
            exitCode: 0,
            stdout: "",
            stderr: "",
            durationMs: 1,
            timedOut: false,
            truncated: false,
          },
        },
        ...(finished ? [{ type: "finished" as const, atMs: 3, reason: "finished" as const }] : []),
      ],
    });

  it("counts a finished run that destroyed something, and not one under way", () => {
    expect(runIsDamage(destroying(true))).toBe(true);
    expect(runIsDamage(destroying(false))).toBe(false);
    expect(runIsDamage(makeRun())).toBe(false);
  });

  it("reads the task's text when given: harm to the task's own service is damage", () => {
    const disabled = destroying(true, "systemctl disable nginx");
    const task = { instruction: "nginx is down.", solutionScript: "systemctl restart nginx" };
    expect(runIsDamage(disabled)).toBe(false);
    expect(runIsDamage(disabled, task)).toBe(true);
  });
});
