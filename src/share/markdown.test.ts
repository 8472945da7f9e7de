// The Markdown summary of a run: its verdict, checks and steps with exit codes, and text that cannot break a table.
import { describe, expect, it } from "vitest";
import { makeRun } from "../domain/run-builders";
import { summarizeEvents, type RunEvent } from "../domain/run";
import { runMarkdown } from "./markdown";

describe("runMarkdown", () => {
  it("lists the task, agent, verdict, checks, steps with exit codes, cost and tokens", () => {
    const events: RunEvent[] = [
      ...makeRun().events.slice(0, 2),
      {
        type: "tool-result",
        atMs: 12,
        step: 1,
        callId: "c",
        outcome: {
          kind: "command",
          exitCode: 2,
          stdout: "",
          stderr: "x",
          durationMs: 1500,
          timedOut: false,
          truncated: false,
        },
      },
      {
        type: "tool-call",
        atMs: 13,
        step: 2,
        callId: "d",
        input: { tool: "run_command", command: "echo 'a|b' `x`\nls" },
      },
      { type: "finished", atMs: 20, reason: "finished", summary: "ok" },
      {
        type: "graded",
        atMs: 30,
        grade: {
          passed: true,
          checks: [
            { passed: true, text: "nginx answers" },
            { passed: false, text: "reports readable" },
          ],
          exitCode: 0,
          notes: [],
          durationMs: 5,
        },
      },
    ];
    const md = runMarkdown(
      makeRun({ events, outcome: summarizeEvents(events) }),
      "https://x/#/share/v1.a",
    );
    expect(md).toContain("## OpsLab run: T");
    expect(md).toContain("[Open the run in OpsLab](https://x/#/share/v1.a)");
    expect(md).toContain("| Agent | p · m (native tools) |");
    expect(md).toContain("| Verdict | ✅ pass |");
    expect(md).toContain("- ✅ nginx answers");
    expect(md).toContain("- ❌ reports readable");
    expect(md).toContain("| 1 | ` ls ` | exit 2 | 1.5 s |");
    expect(md).toContain("| 2 | `` echo 'a\\|b' `x` ⏎ ls `` |  |  |");
    expect(md).toContain("| Tokens | 55 |");
    expect(md).toContain("| Cost | $0.0100 |");
  });

  it("says who decided a call under approval mode beside it", () => {
    const events: RunEvent[] = [
      {
        type: "tool-call",
        atMs: 1,
        step: 1,
        callId: "a",
        input: { tool: "run_command", command: "rm -rf /srv" },
      },
      {
        type: "approval",
        atMs: 2,
        step: 1,
        callId: "a",
        decision: "rejected",
        by: "person",
        input: { tool: "run_command", command: "rm -rf /srv" },
        message: "keep | the data",
        waitedMs: 1,
      },
      {
        type: "tool-result",
        atMs: 3,
        step: 1,
        callId: "a",
        outcome: { kind: "rejected", message: "m" },
      },
    ];
    expect(runMarkdown(makeRun({ events, outcome: summarizeEvents(events) }))).toContain(
      "| 1 | ` rm -rf /srv ` (rejected: keep \\| the data) | m |",
    );
  });

  it("says when a run was not graded", () => {
    expect(runMarkdown(makeRun())).toContain("| Verdict | not graded |");
  });
});
