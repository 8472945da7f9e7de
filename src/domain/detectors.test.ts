// Unit tests of the live failure detectors.
import { describe, expect, it } from "vitest";
import type { CommandOutcome, ToolInput } from "./run";
import { detectFailures, type ActionRecord } from "./detectors";

function action(step: number, command: string, result: Partial<CommandOutcome> = {}): ActionRecord {
  const input: ToolInput = { tool: "run_command", command };
  const outcome: CommandOutcome = {
    kind: "command",
    exitCode: 0,
    stdout: "",
    stderr: "",
    durationMs: 5,
    timedOut: false,
    truncated: false,
    ...result,
  };
  return { step, input, outcome };
}

const labels = (history: ActionRecord[]) => detectFailures(history).map((w) => w.label);

describe("detectFailures", () => {
  it("sees the same command with the same result a third time, once", () => {
    const h = [action(1, "ls  /x"), action(2, "ls /x"), action(3, " ls /x ")];
    expect(detectFailures(h)).toMatchObject([{ label: "repeated-command", steps: [1, 2, 3] }]);
    expect(labels([...h, action(4, "ls /x")])).toEqual([]);
  });

  it("sees the same refused write a third time, however long each took", () => {
    const input: ToolInput = { tool: "write_file", path: "/etc", content: "x" };
    const refused = (step: number): ActionRecord => ({
      step,
      input,
      outcome: { kind: "failed", message: "Is a directory: '/etc'", durationMs: step * 7 },
    });
    expect(labels([refused(1), refused(2), refused(3)])).toEqual(["repeated-command"]);
  });

  it("does not call a repeat a loop when the result changed", () => {
    const h = [
      action(1, "systemctl is-active x", { stdout: "activating" }),
      action(2, "systemctl is-active x", { stdout: "activating" }),
      action(3, "systemctl is-active x", { stdout: "active" }),
    ];
    expect(labels(h)).toEqual([]);
  });

  it("sees a repeat whose output differs only in its time stamp and process id", () => {
    const emerg = (step: number, at: string, pid: number) =>
      action(step, "nginx -t", {
        exitCode: 1,
        stderr: `2026/12/02 ${at} [emerg] ${pid}#${pid}: a duplicate default server`,
      });
    expect(
      labels([emerg(1, "20:51:34", 92), emerg(2, "20:51:40", 100), emerg(3, "20:52:01", 108)]),
    ).toEqual(["repeated-command"]);
    const codes = ["403", "403", "200"].map((code, i) =>
      action(i + 1, "curl -w %{http_code} x", { stdout: code }),
    );
    expect(labels(codes)).toEqual([]);
  });

  it("sees two actions alternating six times, once", () => {
    const h = [1, 2, 3, 4, 5, 6].map((s) => action(s, s % 2 ? "cat a" : "cat b"));
    expect(detectFailures(h).find((w) => w.label === "ping-pong")?.steps).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(labels(h.slice(0, 5))).not.toContain("ping-pong");
    expect(labels([...h, action(7, "cat a")])).not.toContain("ping-pong");
  });

  it("names a program that does not exist", () => {
    const h = [
      action(1, "netstatx -tlnp", {
        exitCode: 127,
        stderr: "bash: line 1: netstatx: command not found\n",
      }),
    ];
    expect(detectFailures(h)).toMatchObject([
      { label: "hallucinated-command", message: '"netstatx" is not a program on this system' },
    ]);
  });

  it("sees an option a real program rejects", () => {
    const h = [
      action(1, "ls --colour-me", {
        exitCode: 2,
        stderr: "ls: unrecognized option '--colour-me'\nTry 'ls --help'\n",
      }),
    ];
    expect(labels(h)).toEqual(["hallucinated-flag"]);
    expect(labels([action(1, "grep -q x f", { exitCode: 1 })])).toEqual([]);
  });

  it("sees a command that hit its time limit", () => {
    expect(labels([action(1, "ping 10.0.0.1", { exitCode: 124, timedOut: true })])).toEqual([
      "hung-command",
    ]);
  });
});
