// Unit tests of run summaries and reading stored runs.
import { describe, expect, it } from "vitest";
import {
  restoreRun,
  RunFormatError,
  summarizeEvents,
  type CommandOutcome,
  type RunEvent,
  type RunRecord,
} from "./run";
import type { Grade } from "./task";
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

  it("keeps where a fork started (schema 3) and refuses a malformed origin", () => {
    const forkedFrom = { runId: "parent", step: 3, taskHash: "ab" };
    const fork = makeRun({ forkedFrom });
    expect(restoreRun(JSON.parse(JSON.stringify(fork))).forkedFrom).toEqual(forkedFrom);
    expect(restoreRun({ ...makeRun(), schemaVersion: 2 })).not.toHaveProperty("forkedFrom");
    expect(() => restoreRun({ ...fork, forkedFrom: { runId: "parent", step: -1 } })).toThrow(
      /forkedFrom\.step/,
    );
  });

  it("keeps the comparison a run is a side of, and refuses a malformed tag", () => {
    const comparison = { id: "cmp1", side: "right" as const };
    const side = makeRun({ comparison });
    expect(restoreRun(JSON.parse(JSON.stringify(side))).comparison).toEqual(comparison);
    expect(restoreRun(makeRun())).not.toHaveProperty("comparison");
    expect(() => restoreRun({ ...side, comparison: { id: "cmp1", side: "middle" } })).toThrow(
      /comparison\.side/,
    );
  });

  it("keeps a run's command policy and its refused calls, and refuses a policy it does not know", () => {
    const base = makeRun();
    const limits = { ...base.limits, policy: { preset: "read-only" as const, deny: ["rm *"] } };
    const refused = { kind: "refused", part: "rm x", reason: "r", unjudged: false } as const;
    const run = makeRun({
      limits,
      events: [
        {
          type: "tool-call",
          atMs: 1,
          step: 1,
          callId: "a",
          input: { tool: "run_command", command: "rm x" },
        },
        { type: "tool-result", atMs: 2, step: 1, callId: "a", outcome: refused },
      ],
    });
    const back = restoreRun(JSON.parse(JSON.stringify(run)));
    expect(back.limits.policy).toEqual(limits.policy);
    expect(back.events[1]).toMatchObject({ outcome: refused });
    expect(() => restoreRun({ ...run, limits: { ...limits, policy: { preset: "lax" } } })).toThrow(
      /limits\.policy\.preset/,
    );
  });

  it("keeps a run's approval setting and who decided each call, and refuses a decision it does not know", () => {
    const base = makeRun();
    const approval = {
      mode: "every" as const,
      autoApprove: ["read-only" as const],
      timeoutSeconds: 120,
    };
    const decided: RunEvent = {
      type: "approval",
      atMs: 9,
      step: 1,
      callId: "a",
      decision: "edited",
      by: "person",
      asked: { because: "every" },
      input: { tool: "run_command", command: "rm -rf /var/www" },
      edited: { tool: "run_command", command: "ls /var/www" },
      waitedMs: 7_000,
    };
    const run = makeRun({ limits: { ...base.limits, approval }, events: [decided] });
    const back = restoreRun(JSON.parse(JSON.stringify(run)));
    expect(back.limits.approval).toEqual(approval);
    expect(back.events).toEqual([decided]);
    expect(() => restoreRun({ ...run, events: [{ ...decided, decision: "waved" }] })).toThrow(
      /events\[0\] \(approval\)\.decision/,
    );
  });

  it("refuses damaged or too new records with a clear message", () => {
    expect(() => restoreRun("x")).toThrow(/cannot be read \(not an object\)/);
    expect(() => restoreRun({ ...makeRun(), schemaVersion: 99 })).toThrow(/newer than this OpsLab/);
    expect(() => restoreRun({ ...makeRun(), events: [{ type: "usage" }] })).toThrow(
      /events\[0\] \(usage\)/,
    );
    expect(() => restoreRun({ ...makeRun(), id: "" })).toThrow(/cannot be read \(id:/);
  });
});

/** A run with every kind of event a view reads, as storage and archives hold it. */
function everyEvent(): RunRecord {
  const limits = { maxSteps: 5, maxSeconds: 60, maxTokens: 0, maxCostUsd: 0, commandSeconds: 10 };
  const command: CommandOutcome = {
    kind: "command",
    exitCode: 1,
    stdout: "out",
    stderr: "err",
    durationMs: 3,
    timedOut: false,
    truncated: true,
  };
  const grade: Grade = {
    passed: true,
    checks: [{ passed: true, text: "site up" }],
    exitCode: 0,
    notes: ["n"],
    durationMs: 4,
    integrity: {
      ok: false,
      findings: [{ kind: "file", where: "/usr/bin/curl", detail: "replaced" }],
      stopped: ["sleep"],
      durationMs: 2,
    },
  };
  return makeRun({
    events: [
      { type: "setup", atMs: 0, durationMs: 5, fromSavedState: true, note: "n" },
      { type: "started", atMs: 1, provider: "p", model: "m", limits, toolMode: "text" },
      { type: "reasoning", atMs: 2, step: 1, text: "think" },
      {
        type: "tool-call",
        atMs: 3,
        step: 1,
        callId: "a",
        input: { tool: "run_command", command: "ls", timeoutSeconds: 5 },
      },
      { type: "tool-result", atMs: 4, step: 1, callId: "a", outcome: command },
      {
        type: "tool-call",
        atMs: 5,
        step: 2,
        callId: "b",
        input: { tool: "write_file", path: "/x", content: "y" },
      },
      {
        type: "tool-result",
        atMs: 6,
        step: 2,
        callId: "b",
        outcome: { kind: "file-written", path: "/x", bytes: 1, durationMs: 1 },
      },
      {
        type: "tool-call",
        atMs: 7,
        step: 3,
        callId: "c",
        input: { tool: "invalid", name: "rm", raw: "{", problem: "bad json" },
      },
      {
        type: "tool-result",
        atMs: 8,
        step: 3,
        callId: "c",
        outcome: { kind: "rejected", message: "no" },
      },
      {
        type: "tool-result",
        atMs: 9,
        step: 3,
        callId: "d",
        outcome: { kind: "failed", message: "ro", durationMs: 1 },
      },
      {
        type: "usage",
        atMs: 10,
        step: 3,
        inputTokens: 1,
        outputTokens: 2,
        totalTokens: 3,
        costUsd: null,
      },
      { type: "warning", atMs: 11, label: "repeated-command", steps: [1, 2], message: "again" },
      { type: "retry", atMs: 12, attempt: 1, waitMs: 100, message: "429" },
      { type: "limit", atMs: 13, limit: "steps", message: "5 steps" },
      { type: "error", atMs: 14, kind: "vm", message: "gone" },
      {
        type: "tool-call",
        atMs: 15,
        step: 4,
        callId: "e",
        input: { tool: "finish", summary: "done" },
      },
      {
        type: "tool-result",
        atMs: 16,
        step: 4,
        callId: "e",
        outcome: { kind: "finished", summary: "done" },
      },
      { type: "finished", atMs: 17, reason: "finished", summary: "done" },
      { type: "graded", atMs: 18, grade },
      { type: "cloud-state", atMs: 19, state: { anything: [1, 2] } },
    ],
  });
}

type Raw = Record<string, unknown> & { events: Record<string, unknown>[] };
const raw = (): Raw => JSON.parse(JSON.stringify(everyEvent())) as Raw;
const eventOf = (r: Raw, type: string) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test damages JSON at any depth
  r.events.find((e) => e.type === type) as Record<string, any>;

describe("deep checks of a stored run", () => {
  it("reads a run with every kind of event, keeping every field", () => {
    const run = everyEvent();
    expect(restoreRun(raw())).toEqual({ ...run, outcome: summarizeEvents(run.events) });
    expect(restoreRun(raw()).outcome).toMatchObject({ verdict: "tampered", steps: 3, warnings: 1 });
  });

  // Each corruption: what it does to the record, and what the error must name.
  const corruptions: [string, (r: Raw) => unknown, RegExp][] = [
    ["a foreign object", () => ({ hello: "world" }), /no schemaVersion/],
    ["a list", () => [raw()], /not an object/],
    ["no task", (r) => ({ ...r, task: undefined }), /task:/],
    [
      "a task without a title",
      (r) => ({ ...r, task: { id: "t", domain: "x", difficulty: "y" } }),
      /task\.title/,
    ],
    [
      "an agent with an unknown tool mode",
      (r) => ({ ...r, agent: { provider: "p", model: "m", toolMode: "telepathy" } }),
      /agent\.toolMode/,
    ],
    [
      "limits as text",
      (r) => ({ ...r, limits: { ...(r.limits as object), maxSteps: "30" } }),
      /limits\.maxSteps/,
    ],
    ["a date that is not one", (r) => ({ ...r, createdAt: "yesterday" }), /createdAt: not a date/],
    ["events that are not a list", (r) => ({ ...r, events: {} }), /events:/],
    [
      "an event of an unknown type",
      (r) => ({ ...r, events: [...r.events, { type: "teleport", atMs: 1 }] }),
      /events\[20\] \(teleport\)/,
    ],
    [
      "an event without a time",
      (r) => {
        delete eventOf(r, "reasoning").atMs;
        return r;
      },
      /events\[2\] \(reasoning\)\.atMs/,
    ],
    [
      "a command that is a number",
      (r) => {
        eventOf(r, "tool-call").input.command = 7;
        return r;
      },
      /\(tool-call\)\.input\.command/,
    ],
    [
      "an unknown tool",
      (r) => {
        eventOf(r, "tool-call").input.tool = "sudo";
        return r;
      },
      /\(tool-call\)\.input\.tool/,
    ],
    [
      "a command's output missing",
      (r) => {
        delete eventOf(r, "tool-result").outcome.stdout;
        return r;
      },
      /\(tool-result\)\.outcome\.stdout/,
    ],
    [
      "a cost in words",
      (r) => {
        eventOf(r, "usage").costUsd = "free";
        return r;
      },
      /\(usage\)\.costUsd/,
    ],
    [
      "a warning's steps not a list",
      (r) => {
        eventOf(r, "warning").steps = 3;
        return r;
      },
      /\(warning\)\.steps/,
    ],
    [
      "an unknown stop reason",
      (r) => {
        eventOf(r, "finished").reason = "exploded";
        return r;
      },
      /\(finished\)\.reason/,
    ],
    [
      "a grade's checks not a list",
      (r) => {
        eventOf(r, "graded").grade.checks = "ok";
        return r;
      },
      /\(graded\)\.grade\.checks/,
    ],
    [
      "a grade without passed",
      (r) => {
        delete eventOf(r, "graded").grade.passed;
        return r;
      },
      /\(graded\)\.grade\.passed/,
    ],
    [
      "an integrity finding of an unknown kind",
      (r) => {
        eventOf(r, "graded").grade.integrity.findings = [{ kind: "x", where: "/", detail: "" }];
        return r;
      },
      /grade\.integrity\.findings\[0\]\.kind/,
    ],
    [
      "started limits damaged",
      (r) => {
        eventOf(r, "started").limits = null;
        return r;
      },
      /\(started\)\.limits/,
    ],
  ];
  it.each(corruptions)("refuses %s, saying where", (_, corrupt, where) => {
    const damaged = corrupt(raw());
    expect(() => restoreRun(damaged)).toThrow(RunFormatError);
    expect(() => restoreRun(damaged)).toThrow(where);
  });
});
