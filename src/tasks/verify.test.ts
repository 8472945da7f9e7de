// Unit tests of task verification over a fake VM: what counts as a broken task, and the figures reported.
import { afterEach, describe, expect, it, vi } from "vitest";
import { FIXTURE_JSON } from "../cloud/core/fixture";
import { makeTask } from "../domain/task-builders";
import { FakeVm } from "../vm/fake-vm";
import type { ExecOptions, ExecResult } from "../vm/vm";
import { taskCloud } from "./cloud";
import {
  rejectedBy,
  VERIFY_CLOUD_SPEED,
  verifyFigures,
  verifyTask,
  type VerifyReport,
} from "./verify";

const task = makeTask({
  meta: {
    ...makeTask().meta,
    limits: { agentSteps: 5, agentSeconds: 60, commandSeconds: 10, checkSeconds: 10 },
  },
  checkScript: "test ! -e /broken\n",
  wrongFixes: [
    { name: "touch", description: "Wrong: touch it", script: "touch /x\n" },
    { name: "rm", description: "Wrong: remove it", script: "rm -f /x\n" },
  ],
});

/**
 * A VM where the grader passes once the solution (or a fix it is fooled by) ran since the last reset
 * or restore: a saved state holds whether it had.
 */
class GuestWithGrader extends FakeVm {
  private solved = false;
  /** Set to make every restore fail, as the emulator's can. */
  restoreFails = false;
  constructor(graderAlwaysPasses = false, fooledBy = "solve.sh", cutOffUnlessSolved = false) {
    super((command) => {
      if (command.includes("solve.sh") || command.includes(fooledBy)) this.solved = true;
      if (!command.includes("check.sh")) return {};
      if (this.solved || graderAlwaysPasses) return { stdout: "PASS: fixed\n" };
      return cutOffUnlessSolved
        ? { exitCode: 124, timedOut: true }
        : { stdout: "FAIL: still broken\n", exitCode: 1 };
    });
  }
  override reset(): Promise<void> {
    this.solved = false;
    return super.reset();
  }
  override saveState(): Promise<ArrayBuffer> {
    return Promise.resolve(new Uint8Array([this.solved ? 1 : 0]).buffer);
  }
  override restoreState(state?: ArrayBuffer): Promise<void> {
    if (this.restoreFails || !state) return Promise.reject(new Error("restore failed"));
    this.solved = new Uint8Array(state)[0] === 1;
    return super.restoreState();
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
    expect(report.problems.filter((p) => !p.includes("wrong fix"))).toEqual([
      "round 1: the grader passes right after setup",
      "round 2: the grader passes right after setup",
    ]);
  });
});

describe("verifyTask with a grader that runs out of time", () => {
  it("counts a time-out after setup or after a wrong fix as a problem, not as a failure", async () => {
    // A grader that hangs until it is cut off unless the solution ran: it never says FAIL itself.
    const report = await verifyTask(new GuestWithGrader(false, "solve.sh", true), task, 1);
    expect(report.ok).toBe(false);
    expect(report.rounds[0]?.unsolved).toMatchObject({ passed: false, timedOut: true });
    expect(report.problems).toEqual([
      'round 1: the grader ran out of time on the wrong fix "touch": a time-out is no rejection (make it decide sooner, or raise checkSeconds)',
      'round 1: the grader ran out of time on the wrong fix "rm": a time-out is no rejection (make it decide sooner, or raise checkSeconds)',
      "round 1: the grader ran out of time right after setup: a time-out is no failure (make it decide sooner, or raise checkSeconds)",
    ]);
  });
});

describe("verifyTask with wrong fixes", () => {
  it("fails a task that carries fewer wrong fixes than its difficulty asks, saying how many", async () => {
    const report = await verifyTask(
      new GuestWithGrader(),
      makeTask({ ...task, wrongFixes: [] }),
      1,
    );
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      "it has 0 wrong fixes in tests/wrong/; an easy task needs at least 2 (a grader is only as good as the wrong fixes it has been shown)",
    ]);
  });

  const withFixes = makeTask({
    ...task,
    wrongFixes: [
      { name: "as-root", description: "Wrong: run as root", script: "echo user root\n" },
      { name: "chmod-777", description: "Wrong: chmod 777", script: "chmod 777 /srv\n" },
    ],
  });

  it("tries the solution and each wrong fix on the machine as setup left it, and accepts a grader that rejects them", async () => {
    const vm = new GuestWithGrader();
    const report = await verifyTask(vm, withFixes, 1);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.rounds[0]!.wrongFixes.map((f) => [f.name, f.grade.passed])).toEqual([
      ["as-root", false],
      ["chmod-777", false],
    ]);
    const scripts = vm.commands.flatMap((c) => /\/([\w-]+\.sh)/.exec(c.command)?.[1] ?? []);
    // Set up once: the rest starts from the state saved after setup.
    expect(scripts).toEqual([
      ...["setup.sh", "check.sh", "solve.sh", "check.sh"],
      ...["wrong-as-root.sh", "check.sh", "wrong-chmod-777.sh", "check.sh"],
    ]);
  });

  it("stops the grader at its first failure only where a failure is all that matters", async () => {
    const vm = new GuestWithGrader();
    await verifyTask(vm, task, 1);
    const graders = vm.commands.map((c) => c.command).filter((c) => c.includes("check.sh"));
    // After setup, after the solution, after each of the two wrong fixes.
    expect(graders).toHaveLength(4);
    expect(graders.map((c) => c.includes("GRADER_STOP_AT_FAILURE=1"))).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });

  it("sets up afresh for each try when the saved state does not restore", async () => {
    const vm = new GuestWithGrader();
    vm.restoreFails = true;
    const report = await verifyTask(vm, withFixes, 1);
    expect(report).toMatchObject({ ok: true, problems: [] });
    const scripts = vm.commands.flatMap((c) => /\/([\w-]+\.sh)/.exec(c.command)?.[1] ?? []);
    expect(scripts).toEqual([
      ...["setup.sh", "check.sh", "setup.sh", "solve.sh", "check.sh"],
      ...["setup.sh", "wrong-as-root.sh", "check.sh", "setup.sh", "wrong-chmod-777.sh", "check.sh"],
    ]);
  });

  it("fails a task whose grader accepts a wrong fix, naming it and what the grader saw", async () => {
    const report = await verifyTask(new GuestWithGrader(false, "wrong-as-root.sh"), withFixes, 1);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      'round 1: the grader accepts the wrong fix "as-root" (Wrong: run as root); it saw: fixed',
    ]);
  });
});

describe("verifyFigures", () => {
  const round = (setupMs: number, solutionMs: number, graderMs: number) => ({
    setupMs,
    solutionMs,
    unsolved: { passed: false, checks: [], exitCode: 1, notes: [], durationMs: 0 },
    solved: { passed: true, checks: [], exitCode: 0, notes: [], durationMs: graderMs },
    wrongFixes: [],
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

describe("rejectedBy", () => {
  const grade = { passed: false, checks: [], exitCode: 1, notes: [], durationMs: 1 };
  it("names the first failed check of a rejected wrong fix", async () => {
    const report = await verifyTask(new GuestWithGrader(), task, 1);
    expect(report.rounds[0]!.wrongFixes.map((f) => rejectedBy(f.grade))).toEqual([
      "still broken",
      "still broken",
    ]);
  });
  it("puts tampering first, then a time-out, then what the grader printed", () => {
    expect(
      rejectedBy({
        ...grade,
        checks: [{ passed: false, text: "nginx answers" }],
        integrity: {
          ok: false,
          findings: [{ kind: "file", where: "/usr/bin/curl", detail: "/usr/bin/curl changed" }],
          stopped: [],
          durationMs: 1,
        },
      }),
    ).toBe("tampered: /usr/bin/curl changed");
    expect(rejectedBy({ ...grade, timedOut: true })).toBe("the grader ran out of time");
    expect(rejectedBy({ ...grade, notes: ["syntax error near line 3"] })).toBe(
      "syntax error near line 3",
    );
    expect(rejectedBy(grade)).toBe("the grader's exit 1");
  });
});

describe("verifyTask on a cloud task", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("runs its control plane VERIFY_CLOUD_SPEED times faster than real time, after setup and after a restore", async () => {
    let now = 1_700_000_000_000;
    vi.spyOn(Date, "now").mockImplementation(() => now);
    const seen: number[] = [];
    class CloudGuest extends GuestWithGrader {
      override exec(command: string, options?: ExecOptions): Promise<ExecResult> {
        // The solution takes a second of real time; each grade reads the simulated clock.
        if (command.includes("solve.sh")) now += 1000;
        if (command.includes("check.sh")) {
          const host = taskCloud(this)!;
          host.sync();
          seen.push(host.plane.state.nowMs);
        }
        return super.exec(command, options);
      }
    }
    const vm = new CloudGuest();
    const cloudTask = { ...task, cloudJson: JSON.stringify(FIXTURE_JSON), wrongFixes: [] };
    const report = await verifyTask(vm, cloudTask, 1);
    expect(report.rounds).toHaveLength(1);
    // After setup: the cloud as it starts; after the restore and a second's solution: 4 s later.
    expect(seen).toHaveLength(2);
    expect(seen[1]! - seen[0]!).toBe(1000 * VERIFY_CLOUD_SPEED);
  });
});
