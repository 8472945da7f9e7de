// Unit tests of a verification's pure parts: which calls replay, how a step and the checks compare, the report and its stored summary.
import { describe, expect, it } from "vitest";
import type { CommandOutcome, RunEvent, ToolInput, ToolOutcome } from "./run";
import { makeRun } from "./run-builders";
import { makeTask } from "./task-builders";
import type { Grade } from "./task";
import {
  compareChecks,
  compareStep,
  makeReport,
  replaySteps,
  restoreVerification,
  summarizeReport,
  textDifference,
  unverifiableReason,
  type ReplayStep,
} from "./verification";

const grade = (checks: [string, boolean][], integrityOk = true): Grade => ({
  passed: integrityOk && checks.every(([, passed]) => passed),
  checks: checks.map(([text, passed]) => ({ text, passed })),
  exitCode: checks.every(([, passed]) => passed) ? 0 : 1,
  notes: [],
  durationMs: 5,
  integrity: {
    ok: integrityOk,
    findings: integrityOk ? [] : [{ kind: "file", where: "/usr/bin/curl", detail: "changed" }],
    stopped: [],
    durationMs: 1,
  },
});

const command = (patch: Partial<CommandOutcome> = {}): CommandOutcome => ({
  kind: "command",
  exitCode: 0,
  stdout: "ok\n",
  stderr: "",
  durationMs: 10,
  timedOut: false,
  truncated: false,
  ...patch,
});

const call = (step: number, id: string, input: ToolInput) =>
  ({ type: "tool-call", atMs: step, step, callId: id, input }) as RunEvent;
const result = (step: number, id: string, outcome: ToolOutcome) =>
  ({ type: "tool-result", atMs: step, step, callId: id, outcome }) as RunEvent;

const graded = (g: Grade): RunEvent => ({ type: "graded", atMs: 99, grade: g });

describe("replaySteps", () => {
  it("keeps commands and file writes with a result, in order, and skips the rest", () => {
    const run = makeRun({
      events: [
        call(1, "a", { tool: "write_file", path: "/root/x", content: "x" }),
        result(1, "a", { kind: "file-written", path: "/root/x", bytes: 1, durationMs: 1 }),
        call(2, "b", { tool: "run_command", command: "bash /root/x" }),
        result(2, "b", command()),
        call(3, "c", { tool: "invalid", name: "sh", raw: "{}", problem: "no tool" }),
        result(3, "c", { kind: "rejected", message: "no" }),
        call(4, "d", { tool: "run_command", command: "sleep 100" }),
        call(5, "e", { tool: "finish", summary: "done" }),
        result(5, "e", { kind: "finished", summary: "done" }),
      ],
    });
    const { steps, skipped } = replaySteps(run);
    expect(steps.map((s) => [s.step, s.input.tool])).toEqual([
      [1, "write_file"],
      [2, "run_command"],
    ]);
    expect(skipped).toEqual([expect.stringMatching(/^step 4: sleep 100 has no recorded result/)]);
  });

  it("skips a call the run's command policy refused: it ran nothing", () => {
    const refused = { kind: "refused", part: "rm -rf /etc", reason: "r", unjudged: false } as const;
    const run = makeRun({
      events: [
        call(1, "a", { tool: "run_command", command: "rm -rf /etc" }),
        result(1, "a", refused),
        call(2, "b", { tool: "write_file", path: "/etc/passwd", content: "" }),
        result(2, "b", { ...refused, part: "write_file /etc/passwd" }),
        call(3, "c", { tool: "run_command", command: "ls" }),
        result(3, "c", command()),
      ],
    });
    expect(replaySteps(run)).toEqual({
      steps: [expect.objectContaining({ step: 3 })],
      skipped: [],
    });
  });

  it("replays a call the person edited as it ran, and skips one the person rejected", () => {
    const asked = (step: number, id: string, decision: "edited" | "rejected", edited?: ToolInput) =>
      ({
        type: "approval",
        atMs: step,
        step,
        callId: id,
        decision,
        by: "person",
        asked: { because: "every" },
        input: { tool: "run_command", command: "rm -rf /var/www" },
        ...(edited && { edited }),
        waitedMs: 3_000,
      }) as RunEvent;
    const run = makeRun({
      events: [
        call(1, "a", { tool: "run_command", command: "rm -rf /var/www" }),
        asked(1, "a", "edited", { tool: "run_command", command: "ls /var/www" }),
        result(1, "a", command()),
        call(2, "b", { tool: "run_command", command: "rm -rf /var/www" }),
        asked(2, "b", "rejected"),
        result(2, "b", { kind: "rejected", message: "The person rejected this call" }),
      ],
    });
    expect(replaySteps(run)).toEqual({
      steps: [
        { step: 1, input: { tool: "run_command", command: "ls /var/www" }, recorded: command() },
      ],
      skipped: [],
    });
  });
});

describe("unverifiableReason", () => {
  const task = makeTask({ meta: { ...makeTask().meta, id: "t", title: "T" } });
  const gradedRun = makeRun({ events: [graded(grade([["ok", true]]))] });

  it("accepts a graded run of the same task", () => {
    expect(unverifiableReason(gradedRun, task)).toBeUndefined();
  });

  it("says why when the task is missing, another, changed, or the run has no grade", () => {
    expect(unverifiableReason(gradedRun, undefined)).toMatch(/"t" is not in this OpsLab/);
    const other = makeTask({ meta: { ...task.meta, id: "u" } });
    expect(unverifiableReason(gradedRun, other)).toMatch(/of task "t", not "u"/);
    const changed = makeTask({ meta: { ...task.meta, difficulty: "hard" } });
    expect(unverifiableReason(gradedRun, changed)).toMatch(/its difficulty changed/);
    expect(unverifiableReason(makeRun(), task)).toMatch(/not graded/);
  });
});

describe("compareStep", () => {
  const replay = (recorded: ReplayStep["recorded"]): ReplayStep => ({
    step: 3,
    input: { tool: "run_command", command: "systemctl status nginx" },
    recorded,
  });

  it("is the same when exit code and output are", () => {
    expect(compareStep(replay(command()), command({ durationMs: 999 }))).toEqual({
      step: 3,
      command: "systemctl status nginx",
      same: true,
      difference: "same",
      differences: [],
    });
  });

  it("calls an exit code or a time-out that changed an outcome difference", () => {
    const c = compareStep(replay(command()), command({ exitCode: 3, timedOut: true }));
    expect(c.difference).toBe("outcome");
    expect(c.differences).toEqual([
      "exit code 0 when recorded, 3 now",
      "timed out now, not when recorded",
    ]);
  });

  it("calls text that differs only in numbers an output difference and says so", () => {
    const c = compareStep(
      replay(command({ stdout: "Active since 10:01:02, PID 311\n" })),
      command({ stdout: "Active since 10:05:59, PID 4012\n" }),
    );
    expect(c.difference).toBe("output");
    expect(c.differences).toEqual([expect.stringMatching(/^stdout differs only in numbers/)]);
  });

  it("names the first differing line of other text, and a cut recording", () => {
    const c = compareStep(
      replay(command({ stderr: "a\nb\nc", truncated: true })),
      command({ stderr: "a\nB\nc", truncated: true }),
    );
    expect(c.differences).toEqual([
      'stderr: 1 of 3 lines differ; line 2 was "b", now "B" (the recording kept only its head and tail)',
    ]);
  });

  it("compares the kind of result and a file's size", () => {
    const write: ReplayStep = {
      step: 1,
      input: { tool: "write_file", path: "/etc/x", content: "abc" },
      recorded: { kind: "file-written", path: "/etc/x", bytes: 3, durationMs: 1 },
    };
    expect(
      compareStep(write, { kind: "file-written", path: "/etc/x", bytes: 3, durationMs: 7 }).same,
    ).toBe(true);
    const refused = compareStep(write, {
      kind: "failed",
      message: "is a directory",
      durationMs: 1,
    });
    expect(refused.difference).toBe("outcome");
    expect(refused.differences[0]).toMatch(/a file written when recorded, refused by the guest/);
  });

  it("notes a command that needed longer than the run's limit as an output difference", () => {
    const c = compareStep(replay(command()), command({ durationMs: 75_000 }), 60);
    expect(c.difference).toBe("output");
    expect(c.differences).toEqual([
      "took 75 s now, over the run's limit of 60 s (a slower machine: it was let finish)",
    ]);
    expect(compareStep(replay(command()), command({ durationMs: 59_000 }), 60).same).toBe(true);
  });

  it("shows nothing for equal texts", () => {
    expect(textDifference("stdout", "x", "x", false)).toBeUndefined();
  });
});

describe("compareChecks", () => {
  it("matches checks by text and keeps those seen on one side only", () => {
    const rows = compareChecks(
      grade([
        ["site answers", true],
        ["key private", true],
        ["key private", false],
      ]),
      grade([
        ["key private", true],
        ["site answers", false],
        ["new check", true],
      ]),
    );
    expect(rows).toEqual([
      { text: "site answers", recorded: true, now: false },
      { text: "key private", recorded: true, now: true },
      { text: "key private", recorded: false },
      { text: "new check", now: true },
    ]);
  });
});

describe("makeReport", () => {
  const parts = {
    steps: [],
    skipped: [],
    setupMs: 1,
    replayMs: 2,
    gradeMs: 3,
    durationMs: 6,
  };

  it("reproduces when the verdicts are equal", () => {
    const report = makeReport({
      ...parts,
      recorded: grade([["a", true]]),
      now: grade([["a", true]]),
    });
    expect(report.reproduced).toBe(true);
    expect(report.verdict).toEqual({ recorded: "pass", now: "pass" });
  });

  it("does not reproduce a claimed pass that fails now, nor one that is tampered now", () => {
    const failing = makeReport({
      ...parts,
      recorded: grade([["a", true]]),
      now: grade([["a", false]]),
    });
    expect(failing.reproduced).toBe(false);
    expect(failing.verdict).toEqual({ recorded: "pass", now: "fail" });
    const tampered = makeReport({
      ...parts,
      recorded: grade([["a", true]]),
      now: grade([["a", true]], false),
    });
    expect(tampered.verdict.now).toBe("tampered");
    expect(tampered.findings).toHaveLength(1);
  });

  it("is kept as a summary that reads back, and a damaged one is ignored", () => {
    const report = makeReport({
      ...parts,
      recorded: grade([["a", true]]),
      now: grade([["a", false]]),
    });
    const summary = summarizeReport("r1", report, new Date("2026-12-03T00:00:00Z"));
    expect(restoreVerification(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
    expect(restoreVerification({ ...summary, verdict: { recorded: "pass", now: "maybe" } })).toBe(
      undefined,
    );
    expect(restoreVerification("x")).toBeUndefined();
  });
});
