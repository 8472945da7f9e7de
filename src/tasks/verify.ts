// Verifies a task: from a fresh VM the grader fails after setup, and passes after setup + solution.
import type { Grade, TaskBundle } from "../domain/task";
import type { Vm } from "../vm/vm";
import { gradeTask, runSolution, setUpTask } from "./runner";

export interface VerifyRound {
  /** The grader after setup only: must fail. */
  unsolved: Grade;
  /** The grader after setup and the reference solution: must pass. */
  solved: Grade;
  setupMs: number;
  solutionMs: number;
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
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

export async function verifyTask(vm: Vm, task: TaskBundle, repeat: number): Promise<VerifyReport> {
  const report: VerifyReport = { id: task.meta.id, ok: true, rounds: [], problems: [] };
  for (let round = 1; round <= repeat; round++) {
    try {
      await vm.reset();
      const setupMs = await setUpTask(vm, task);
      const unsolved = await gradeTask(vm, task);
      await vm.reset();
      await setUpTask(vm, task);
      const solutionMs = await runSolution(vm, task);
      const solved = await gradeTask(vm, task);
      report.rounds.push({ unsolved, solved, setupMs, solutionMs });
      if (unsolved.passed)
        report.problems.push(`round ${round}: the grader passes right after setup`);
      if (!solved.passed) {
        const failed = solved.checks.filter((c) => !c.passed).map((c) => c.text);
        report.problems.push(
          `round ${round}: the grader fails after the reference solution (${failed.join("; ") || solved.notes.join("; ") || `exit ${solved.exitCode}`})`,
        );
      }
    } catch (error) {
      report.problems.push(`round ${round}: ${(error as Error).message}`);
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}
