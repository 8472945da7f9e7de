// What the run panel says while a run is graded: the stage, the check the grader runs, its time.
import type { GradeProgress } from "../../domain/grade-progress";

const STAGE_TEXT: Record<GradeProgress["stage"], string> = {
  stopping: "Stopping what the agent left running",
  integrity: "Checking that nothing grading relies on was changed",
  checks: "Running the task's checks",
  rechecking: "Checking again that nothing grading relies on was changed",
};

/** One line: what grading does now, and for the checks how long they have taken of their limit. */
export function describeGrading(progress: GradeProgress, elapsedMs: number): string {
  const stage = STAGE_TEXT[progress.stage];
  if (progress.stage !== "checks") return `${stage}…`;
  const { doing: note, checkNumber } = progress;
  const doing =
    note?.kind === "check" && checkNumber ? `check ${checkNumber}: ${note.text}` : note?.text;
  const limit = progress.limitMs ? ` of at most ${Math.round(progress.limitMs / 1000)} s` : "";
  const time = `${Math.floor(elapsedMs / 1000)} s${limit}`;
  return doing ? `${stage} · ${doing} · ${time}` : `${stage} · ${time}`;
}
