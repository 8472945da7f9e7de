// Unit tests of the grader's notes as grading's progress reads them.
import { describe, expect, it } from "vitest";
import { readGraderNotes } from "./grade-progress";

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
