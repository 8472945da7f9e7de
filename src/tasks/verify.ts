// Verifies a task: from a fresh VM the grader fails after setup, passes after setup + solution, and
// rejects each of the task's wrong fixes (of which it carries at least MIN_WRONG_FIXES). Where only a
// failure matters (after setup, after a wrong fix) the grader ends at its first failed check and no
// integrity checks run (GradeOptions.stopAtFailure): only the task's own checks may reject a wrong
// fix, since one that only the integrity checks caught would hide a weak grader.
import { MIN_WRONG_FIXES, type Grade, type TaskBundle, type WrongFix } from "../domain/task";
import { median } from "../domain/median";
import type { Vm } from "../vm/vm";
import { takeIntegrityBaseline, type IntegrityBaseline } from "./grading/integrity";
import { gradeTask, runSolution, runWrongFix, setUpTask } from "./runner";
import { restoreTaskState } from "./task-state";

/** The grader after one wrong fix (from a fresh VM after setup): must fail. */
export interface WrongFixRound {
  name: string;
  description: string;
  grade: Grade;
  /** How long the wrong fix itself took. */
  durationMs: number;
}

export interface VerifyRound {
  /** The grader after setup only: must fail. */
  unsolved: Grade;
  /** The grader after setup and the reference solution: must pass. */
  solved: Grade;
  setupMs: number;
  solutionMs: number;
  wrongFixes: WrongFixRound[];
}

export interface VerifyReport {
  id: string;
  ok: boolean;
  rounds: VerifyRound[];
  problems: string[];
}

/** A task's typical costs over its verified rounds: medians, in milliseconds. */
export interface VerifyFigures {
  setupMs: number;
  /** The reference solution (what the oracle agent runs). */
  solutionMs: number;
  /** The grader after the solution. */
  graderMs: number;
}

/** Medians over the report's rounds; undefined when no round completed. */
export function verifyFigures(report: VerifyReport): VerifyFigures | undefined {
  if (report.rounds.length === 0) return undefined;
  return {
    setupMs: median(report.rounds.map((r) => r.setupMs)),
    solutionMs: median(report.rounds.map((r) => r.solutionMs)),
    graderMs: median(report.rounds.map((r) => r.solved.durationMs)),
  };
}

/**
 * What made a grade fail, in a line: the integrity findings, or its first failed check, or its time-out,
 * or what it printed. For a task's author: a wrong fix rejected for the wrong reason is a weak test.
 */
export function rejectedBy(grade: Grade): string {
  const finding = grade.integrity?.findings[0];
  if (finding) return `tampered: ${finding.detail}`;
  const failed = grade.checks.find((c) => !c.passed);
  if (failed) return failed.text;
  if (grade.timedOut) return "the grader ran out of time";
  return grade.notes[0] ?? `the grader's exit ${grade.exitCode}`;
}

/** A one-line account of what a grade found, for a problem report. */
function gradeSummary(grade: Grade, wanted: boolean): string {
  const tampered = grade.integrity?.findings.map((f) => `tampered: ${f.detail}`) ?? [];
  const shown = grade.checks.filter((c) => c.passed === wanted).map((c) => c.text);
  return [...tampered, ...shown].join("; ") || grade.notes.join("; ") || `exit ${grade.exitCode}`;
}

/**
 * How much faster than real time a cloud task's control plane runs while verifying: its instances boot,
 * its rollouts roll and its records propagate in a quarter of the time.
 * NOTE: the solution and the wrong fixes are scripts that wait on the cloud (an instance running, a
 * target healthy), so most of their time was these waits; an agent, which thinks for seconds between
 * commands, sees the cloud much further along than a script at any speed, so a grader that only holds
 * at real time is one an agent would get past. The simulated world keeps its own times: the audit log,
 * a replay, a deadline count simulated milliseconds.
 */
export const VERIFY_CLOUD_SPEED = 4;
const cloudClock = () => Date.now() * VERIFY_CLOUD_SPEED;

/** From a fresh VM: the task set up, and the machine as it then was. */
async function freshSetup(vm: Vm, task: TaskBundle) {
  await vm.reset();
  const setupMs = await setUpTask(vm, task, { cloudClock });
  return { setupMs, baseline: await takeIntegrityBaseline(vm) };
}

/**
 * A round's starting point: the task set up once from a fresh VM (graded as it is: must fail), and
 * `again()`, which puts the machine back as setup left it for the next attempt (the solution, each
 * wrong fix) and gives its integrity baseline.
 * NOTE: a restore of the task's state stands for a fresh setup, as it does for a run from the
 * task-state cache, and takes about a second instead of a setup's several. A cloud task's control
 * plane, which the machine state does not hold, starts afresh from cloud.json, as it does there
 * (setUpTask refuses a setup.sh that changes it).
 */
async function setUpRound(vm: Vm, task: TaskBundle) {
  const first = await freshSetup(vm, task);
  const afresh = async () => (await freshSetup(vm, task)).baseline;
  const state = await vm.saveState();
  let restored = true;
  const again = async () => {
    if (!restored) return afresh();
    try {
      await restoreTaskState(vm, task, state, cloudClock);
      return first.baseline;
    } catch {
      // The emulator could not restore it: every later attempt sets up afresh instead.
      restored = false;
      return afresh();
    }
  };
  return { setupMs: first.setupMs, baseline: first.baseline, again };
}

/** From the machine as setup left it: the wrong fix, the grader. */
async function tryWrongFix(
  vm: Vm,
  task: TaskBundle,
  fix: WrongFix,
  ready: () => Promise<IntegrityBaseline>,
): Promise<WrongFixRound> {
  const baseline = await ready();
  const durationMs = await runWrongFix(vm, task, fix);
  const grade = await gradeTask(vm, task, { baseline, stopAtFailure: true });
  return { name: fix.name, description: fix.description, grade, durationMs };
}

export async function verifyTask(vm: Vm, task: TaskBundle, repeat: number): Promise<VerifyReport> {
  const report: VerifyReport = { id: task.meta.id, ok: true, rounds: [], problems: [] };
  const fewest = MIN_WRONG_FIXES[task.meta.difficulty];
  if (task.wrongFixes.length < fewest)
    report.problems.push(
      `it has ${task.wrongFixes.length} wrong fixes in tests/wrong/; ${task.meta.difficulty === "easy" ? "an" : "a"} ${task.meta.difficulty} task needs at least ${fewest} (a grader is only as good as the wrong fixes it has been shown)`,
    );
  for (let round = 1; round <= repeat; round++) {
    try {
      const start = await setUpRound(vm, task);
      const setupMs = start.setupMs;
      const unsolved = await gradeTask(vm, task, {
        baseline: start.baseline,
        stopAtFailure: true,
      });
      const baseline = await start.again();
      const solutionMs = await runSolution(vm, task);
      const solved = await gradeTask(vm, task, { baseline });
      const wrongFixes: WrongFixRound[] = [];
      for (const fix of task.wrongFixes) {
        const tried = await tryWrongFix(vm, task, fix, start.again);
        wrongFixes.push(tried);
        if (tried.grade.passed) {
          report.problems.push(
            `round ${round}: the grader accepts the wrong fix "${fix.name}" (${fix.description}); it saw: ${gradeSummary(tried.grade, true)}`,
          );
        } else if (tried.grade.timedOut) {
          report.problems.push(
            `round ${round}: the grader ran out of time on the wrong fix "${fix.name}": a time-out is no rejection (make it decide sooner, or raise checkSeconds)`,
          );
        }
      }
      report.rounds.push({ unsolved, solved, setupMs, solutionMs, wrongFixes });
      if (unsolved.passed)
        report.problems.push(`round ${round}: the grader passes right after setup`);
      else if (unsolved.timedOut)
        report.problems.push(
          `round ${round}: the grader ran out of time right after setup: a time-out is no failure (make it decide sooner, or raise checkSeconds)`,
        );
      if (!solved.passed) {
        report.problems.push(
          `round ${round}: the grader fails after the reference solution (${gradeSummary(solved, false)})`,
        );
      }
    } catch (error) {
      report.problems.push(`round ${round}: ${(error as Error).message}`);
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}
