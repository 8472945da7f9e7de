// Unit tests of reading a grader's output into a grade.
import { describe, expect, it } from "vitest";
import { parseCheckOutput, withChecks } from "./task";

describe("parseCheckOutput", () => {
  it("passes when every check passes and the grader exits 0", () => {
    const grade = parseCheckOutput("PASS: site answers 200\nPASS: key stays private\n", 0, 12);
    expect(grade).toMatchObject({ passed: true, exitCode: 0, durationMs: 12 });
    expect(grade.checks).toEqual([
      { passed: true, text: "site answers 200" },
      { passed: true, text: "key stays private" },
    ]);
  });

  it("fails on any failed check, on a non-zero exit, and when no check was printed", () => {
    expect(parseCheckOutput("PASS: a\nFAIL: b\n", 0, 1).passed).toBe(false);
    expect(parseCheckOutput("PASS: a\n", 1, 1).passed).toBe(false);
    expect(parseCheckOutput("all good\n", 0, 1)).toMatchObject({
      passed: false,
      notes: ["all good"],
    });
  });
});

describe("withChecks", () => {
  const pass = { passed: true, text: "the host saw it" };
  const fail = { passed: false, text: "the host did not" };

  it("decides again over both sets of lines: a grader that printed none passes on the host's", () => {
    const silent = parseCheckOutput("", 0, 5);
    expect(silent.passed).toBe(false);
    expect(withChecks(silent, [pass])).toMatchObject({
      passed: true,
      checks: [pass],
      durationMs: 5,
    });
    expect(withChecks(silent, [pass, fail]).passed).toBe(false);
    expect(withChecks(silent, []).passed).toBe(false);
  });

  it("never turns a failed in-VM check or a non-zero exit into a pass", () => {
    expect(withChecks(parseCheckOutput("FAIL: a\n", 1, 1), [pass]).passed).toBe(false);
    expect(withChecks(parseCheckOutput("PASS: a\n", 2, 1), [pass]).passed).toBe(false);
  });
});
