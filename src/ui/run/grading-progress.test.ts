// Unit tests of the line the run panel shows while a task is readied or a run graded.
import { describe, expect, it } from "vitest";
import { describeGrading, describeReadying } from "./grading-progress";

describe("describeGrading", () => {
  it("names the stage before and after the checks", () => {
    expect(describeGrading({ stage: "stopping" }, 500)).toBe(
      "Stopping what the agent left running…",
    );
    expect(describeGrading({ stage: "rechecking" }, 0)).toMatch(/^Checking again/);
  });

  it("gives the check the grader runs, its number, and the time against the grader's limit", () => {
    expect(
      describeGrading(
        {
          stage: "checks",
          doing: { kind: "check", text: "the signing key is not served" },
          checkNumber: 4,
          limitMs: 60_000,
        },
        12_400,
      ),
    ).toBe(
      "Running the task's checks · check 4: the signing key is not served · 12 s of at most 60 s",
    );
  });

  it("says a restart or reboot as it is, and the time alone before the first note", () => {
    expect(
      describeGrading(
        { stage: "checks", doing: { kind: "step", text: "restarting nginx" }, checkNumber: 9 },
        3_000,
      ),
    ).toBe("Running the task's checks · restarting nginx · 3 s");
    expect(describeGrading({ stage: "checks", limitMs: 90_000 }, 0)).toBe(
      "Running the task's checks · 0 s of at most 90 s",
    );
  });
});

describe("describeReadying", () => {
  it("says where a restored state comes from", () => {
    expect(describeReadying({ stage: "restoring", from: "cache" }, 1_200)).toBe(
      "Restoring the task's saved machine · 1 s",
    );
    expect(describeReadying({ stage: "restoring", from: "shipped" }, 0)).toBe(
      "Restoring the task's ready-made machine · 0 s",
    );
  });

  it("gives a download's bytes of its total, and each setup step", () => {
    expect(
      describeReadying({ stage: "downloading", loadedBytes: 400_000, totalBytes: 900_000 }, 0),
    ).toBe("Downloading the task's ready-made machine · 0.4 MB of 0.9 MB · 0 s");
    expect(describeReadying({ stage: "setup" }, 14_900)).toBe(
      "Setting the task up: running its setup script · 14 s",
    );
  });

  it("says that the dev server builds the task's state, and behind how many others", () => {
    expect(describeReadying({ stage: "building", ahead: 0 }, 31_000)).toBe(
      "Building the task's ready-made machine on the dev server · 31 s",
    );
    expect(describeReadying({ stage: "building", ahead: 2 }, 3_000)).toBe(
      "Building the task's ready-made machine on the dev server · after 2 other tasks · 3 s",
    );
  });
});
