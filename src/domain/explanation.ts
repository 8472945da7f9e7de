// Where a failed run went wrong, found by running things: the step after which the reference solution no longer fixes the machine, and the step at which the grader came closest.
import type { CheckLine } from "./task";

/** One probe: the run's first `afterStep` steps replayed on the readied task, then graded (and maybe the reference run). */
export interface ExplainProbe {
  /** The run's step number (RunEvent.step) the replay stopped after; 0 is the task as readied, before any step. */
  afterStep: number;
  /** What was measured there. */
  kind: "reference" | "checks";
  /** kind "reference": whether the reference solution, run after those steps, made the grader pass. */
  referenceFixes?: boolean;
  /** kind "checks": the grader's checks with the agent's steps alone (no reference run). */
  checks?: CheckLine[];
  durationMs: number;
}

export interface ExplainReport {
  /**
   * The first step after which the reference solution no longer fixes the machine: the agent did damage
   * there. null when the reference still fixes it after the last step (nothing the agent did was fatal),
   * or when it could not be decided (see `note`).
   */
  damageStep: number | null;
  /** The step after which the grader's checks were at their best (the earliest such step), and the count. */
  bestStep: { afterStep: number; checksPassed: number; checksTotal: number } | null;
  probes: ExplainProbe[];
  /** Why a part could not be decided (the reference does not fix the task as readied, a step did not replay alike, ...). */
  note?: string;
  durationMs: number;
}
