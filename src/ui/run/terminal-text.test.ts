// Unit tests of the agent's terminal text: prompts, outputs, exit codes, time-outs, set-up lines.
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../domain/run";
import { render, renderAll } from "./terminal-text";

const command = (command: string): RunEvent => ({
  type: "tool-call",
  atMs: 1,
  step: 1,
  callId: "c",
  input: { tool: "run_command", command },
});
const result = (
  patch: Partial<{ stdout: string; stderr: string; exitCode: number; timedOut: boolean }>,
): RunEvent => ({
  type: "tool-result",
  atMs: 2,
  step: 1,
  callId: "c",
  outcome: {
    kind: "command",
    exitCode: 0,
    stdout: "",
    stderr: "",
    durationMs: 1,
    timedOut: false,
    truncated: false,
    ...patch,
  },
});

describe("terminal text", () => {
  it("draws a command after the prompt, with CRLF line ends", () => {
    expect(render(command("ls\n-la"))).toMatch(/root@opslab.*# ls\r\n-la\r\n$/);
  });

  it("ends output with a line break, stderr in red, and a non-zero exit code dimmed", () => {
    const text = render(result({ stdout: "a\nb", stderr: "boom", exitCode: 2 }));
    expect(text).toBe("a\r\nb\x1b[31mboom\x1b[0m\r\n\x1b[2m[exit 2]\x1b[0m\r\n");
  });

  it("says when a command was killed at its time limit, instead of its exit code", () => {
    expect(render(result({ exitCode: 124, timedOut: true }))).toBe(
      "\x1b[33m[killed at its time limit]\x1b[0m\r\n",
    );
  });

  it("draws nothing for events the terminal does not show, and joins the rest in order", () => {
    const usage: RunEvent = {
      type: "usage",
      atMs: 0,
      step: 1,
      inputTokens: 1,
      outputTokens: 1,
      totalTokens: 2,
      costUsd: null,
    };
    expect(render(usage)).toBe("");
    expect(renderAll([usage, command("id"), result({ stdout: "root\n" })])).toBe(
      render(command("id")) + "root\r\n",
    );
  });
});
