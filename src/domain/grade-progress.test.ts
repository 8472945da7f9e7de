// Unit tests of the grader's notes as grading's progress reads them.
import { describe, expect, it } from "vitest";
import { readGraderNotes, readGraderTimeline } from "./grade-progress";

describe("readGraderNotes", () => {
  it("is empty before the grader noted anything", () => {
    expect(readGraderNotes("")).toEqual({});
  });

  it("gives the last note and counts the checks begun, not the steps between them", () => {
    const text =
      "check\tthe page answers 200\nstep\trestarting nginx\ncheck\tafter a restart it answers\n";
    expect(readGraderNotes(text)).toEqual({
      doing: { kind: "check", text: "after a restart it answers" },
      checkNumber: 2,
    });
    expect(readGraderNotes("check\tone\nstep\trebooting web\n")).toEqual({
      doing: { kind: "step", text: "rebooting web" },
      checkNumber: 1,
    });
  });

  it("skips lines that are no note, and cuts a long one", () => {
    const long = "x".repeat(1000);
    expect(readGraderNotes(`garbage\nother\tthing\ncheck\t${long}\n\u0000`)).toEqual({
      doing: { kind: "check", text: "x".repeat(200) },
      checkNumber: 1,
    });
  });
});

describe("readGraderTimeline", () => {
  it("times each note until the next, the last until the runner's end line", () => {
    const text =
      "check\tthe site answers\t100.000000\nstep\trestarting nginx\t100.250000\n" +
      "check\tstill answers\t102.000000\nend\t\t102.125000\n";
    expect(readGraderTimeline(text)).toEqual([
      { kind: "check", text: "the site answers", ms: 250 },
      { kind: "step", text: "restarting nginx", ms: 1750 },
      { kind: "check", text: "still answers", ms: 125 },
    ]);
  });

  it("leaves out the last note without an end line, and lines without a time", () => {
    const text = "check\tone\t5.0\ncheck\tno time\ngarbage\tx\tnot-a-number\ncheck\ttwo\t6.5\n";
    expect(readGraderTimeline(text)).toEqual([{ kind: "check", text: "one", ms: 1500 }]);
  });

  it("is read alike by readGraderNotes, which shows the text without the time", () => {
    expect(readGraderNotes("check\tthe site answers\t100.0\n")).toEqual({
      doing: { kind: "check", text: "the site answers" },
      checkNumber: 1,
    });
  });
});
