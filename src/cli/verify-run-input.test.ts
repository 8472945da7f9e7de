// Unit tests of npm run verify-run's input (a record or an archive, a run picked, bad files refused clearly) and its report lines.
import { describe, expect, it } from "vitest";
import { makeArchive } from "../domain/archive";
import { makeRun } from "../domain/run-builders";
import type { VerifyReport } from "../domain/verification";
import { describeReport, readRunsFile, VerifyInputError } from "./verify-run-input";

describe("readRunsFile", () => {
  const a = makeRun({ id: "a" });
  const b = makeRun({ id: "b" });

  it("reads a run record, or every run of an archive, or the one asked for", () => {
    expect(readRunsFile(JSON.stringify(a)).map((r) => r.id)).toEqual(["a"]);
    const archive = JSON.stringify(makeArchive([a, b], [], "test"));
    expect(readRunsFile(archive).map((r) => r.id)).toEqual(["a", "b"]);
    expect(readRunsFile(archive, "b").map((r) => r.id)).toEqual(["b"]);
  });

  it("refuses what it cannot use, saying why", () => {
    const refused = (text: string, id?: string) => () => readRunsFile(text, id);
    expect(refused("{ nope")).toThrow(VerifyInputError);
    expect(refused("{ nope")).toThrow(/not JSON/);
    expect(refused(JSON.stringify({ hello: 1 }))).toThrow(/no schemaVersion/);
    expect(refused(JSON.stringify({ ...a, schemaVersion: 99 }))).toThrow(/newer than this OpsLab/);
    expect(refused(JSON.stringify(makeArchive([a], [], "t")), "zz")).toThrow(/no run zz.*holds a/);
    expect(refused(JSON.stringify(makeArchive([], [], "t")))).toThrow(/holds no run/);
  });
});

describe("describeReport", () => {
  const report: VerifyReport = {
    reproduced: false,
    verdict: { recorded: "pass", now: "fail" },
    checks: [
      { text: "site answers", recorded: true, now: false },
      { text: "only now", now: true },
    ],
    steps: [
      { step: 1, command: "date", same: false, difference: "output", differences: ["x"] },
      { step: 2, command: "fix", same: false, difference: "outcome", differences: ["exit"] },
    ],
    findings: [],
    skipped: [],
    setupMs: 1000,
    replayMs: 2000,
    gradeMs: 3000,
    durationMs: 6100,
  };

  it("says whether it reproduces, each check, the steps and the time split", () => {
    expect(describeReport(report)).toEqual([
      "Does not reproduce: recorded PASS, now FAIL",
      "  checks (recorded → now):",
      "    PASS → FAIL  site answers",
      "    — → PASS  only now",
      "  steps: 2 replayed, 0 the same, 1 with other output only, 1 with another outcome",
      "  time: 6100 ms (setup 1000 ms, replay 2000 ms, grading 3000 ms)",
    ]);
    expect(
      describeReport({
        ...report,
        reproduced: true,
        verdict: { recorded: "tampered", now: "tampered" },
      })[0],
    ).toBe("Reproduced: TAMPERED → TAMPERED");
  });
});
