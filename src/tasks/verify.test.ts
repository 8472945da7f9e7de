// Unit tests of task verification over a fake VM: what counts as a broken task, and the figures reported.
import { describe, expect, it } from "vitest";
import { makeTask } from "../domain/task-builders";
import { FakeVm } from "../vm/fake-vm";
import { verifyFigures, verifyTask, type VerifyReport } from "./verify";

const task = makeTask({
  meta: {
    ...makeTask().meta,
    limits: { agentSteps: 5, agentSeconds: 60, commandSeconds: 10, checkSeconds: 10 },
  },
  checkScript: "test ! -e /broken\n",
});

/** A VM where the grader passes once the solution ran since the last reset, or always when told. */
class GuestWithGrader extends FakeVm {
  private solved = false;
  constructor(graderAlwaysPasses = false) {
    super((command) => {
      if (command.includes("solve.sh")) this.solved = true;
      if (command.includes("check.sh"))
        return this.solved || graderAlwaysPasses
          ? { stdout: "PASS: fixed\n" }
          : { stdout: "FAIL: still broken\n", exitCode: 1 };
      return {};
    });
  }
  override reset(): Promise<void> {
    this.solved = false;
    return super.reset();
  }
}

describe("verifyTask", () => {
  it("accepts a task whose grader fails after setup and passes after the solution, each round", async () => {
    const report = await verifyTask(new GuestWithGrader(), task, 3);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.rounds).toHaveLength(3);
  });

  it("rejects a task whose grader already passes after setup, naming the round", async () => {
    const report = await verifyTask(new GuestWithGrader(true), task, 2);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      "round 1: the grader passes right after setup",
      "round 2: the grader passes right after setup",
    ]);
  });
});

describe("verifyFigures", () => {
  const round = (setupMs: number, solutionMs: number, graderMs: number) => ({
    setupMs,
    solutionMs,
    unsolved: { passed: false, checks: [], exitCode: 1, notes: [], durationMs: 0 },
    solved: { passed: true, checks: [], exitCode: 0, notes: [], durationMs: graderMs },
  });
  const report = (rounds: VerifyReport["rounds"]): VerifyReport => ({
    id: "t",
    ok: true,
    rounds,
    problems: [],
  });

  it("gives the medians of setup, solution and grader over the rounds", () => {
    const figures = verifyFigures(
      report([round(900, 10, 5), round(100, 30, 7), round(200, 20, 6)]),
    );
    expect(figures).toEqual({ setupMs: 200, solutionMs: 20, graderMs: 6 });
    expect(verifyFigures(report([round(100, 10, 4), round(300, 30, 8)]))).toEqual({
      setupMs: 200,
      solutionMs: 20,
      graderMs: 6,
    });
  });

  it("has no figures when no round completed", () => {
    expect(verifyFigures(report([]))).toBeUndefined();
  });
});
