// Unit tests of what an agent taking over a fork is told: the earlier calls up to the step with their results, long results cut.
import { describe, expect, it } from "vitest";
import type { ReplayStep } from "../domain/verification";
import { BRIEF_RESULT_CHARS, forkBrief } from "./fork-brief";
import { taskMessage } from "./prompt";

const command = (step: number, text: string, stdout = ""): ReplayStep => ({
  step,
  input: { tool: "run_command", command: text },
  recorded: {
    kind: "command",
    exitCode: step === 2 ? 1 : 0,
    stdout,
    stderr: "",
    durationMs: 5,
    timedOut: false,
    truncated: false,
  },
});

describe("forkBrief", () => {
  it("tells the calls up to the fork's step, in order, with exit codes and outputs", () => {
    const calls: ReplayStep[] = [
      command(1, "cat /etc/hosts", "127.0.0.1 localhost\n"),
      command(2, "false"),
      {
        step: 2,
        input: { tool: "write_file", path: "/etc/x.conf", content: "a=1\n" },
        recorded: { kind: "file-written", path: "/etc/x.conf", bytes: 4, durationMs: 1 },
      },
      command(3, "rm -rf /srv/later"),
    ];
    const brief = forkBrief(calls, 2);
    expect(brief).toMatch(/worked on the ticket for 2 step\(s\)/);
    expect(brief.indexOf("cat /etc/hosts")).toBeLessThan(brief.indexOf("Step 2, run_command"));
    expect(brief).toContain("127.0.0.1 localhost");
    expect(brief).toContain("exit code: 1");
    expect(brief).toContain("Step 2, write_file /etc/x.conf (4 characters)\nwrote 4 bytes");
    expect(brief).not.toContain("/srv/later");
  });

  it("cuts a long result to its head and tail", () => {
    const brief = forkBrief([command(1, "journalctl", `HEAD${"x".repeat(50_000)}TAIL`)], 1);
    expect(brief).toContain("HEAD");
    expect(brief).toContain("TAIL");
    expect(brief.length).toBeLessThan(BRIEF_RESULT_CHARS + 1_000);
  });

  it("comes after the ticket in the agent's first message; a run from the start gets the ticket alone", () => {
    expect(taskMessage("Fix it.")).toBe("Here is the ticket:\n\nFix it.");
    expect(taskMessage("Fix it.", forkBrief([], 0))).toMatch(
      /^Here is the ticket:\n\nFix it\.\n\nThis machine is not fresh/,
    );
  });
});
