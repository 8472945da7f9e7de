// What the run panel says while a task is readied or a run graded: the stage, the check, the time.
import type { GradeProgress, ReadyProgress } from "../../domain/grade-progress";

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

const READY_TEXT: Record<ReadyProgress["stage"], string> = {
  building: "Building the task's ready-made machine on the dev server",
  restoring: "Restoring the task's saved machine",
  downloading: "Downloading the task's ready-made machine",
  resetting: "Resetting Linux",
  fixtures: "Setting the task up: copying its files",
  network: "Setting the task up: building its network",
  setup: "Setting the task up: running its setup script",
  saving: "Saving the ready task, so the next run restores it in seconds",
};

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** One line: what readying the task does now, the bytes of a download, and the stage's time. */
export function describeReadying(progress: ReadyProgress, elapsedMs: number): string {
  const stage =
    progress.stage === "restoring" && progress.from === "shipped"
      ? "Restoring the task's ready-made machine"
      : READY_TEXT[progress.stage];
  const { loadedBytes, totalBytes } = progress;
  const bytes =
    progress.stage === "downloading" && loadedBytes !== undefined
      ? totalBytes
        ? ` · ${megabytes(loadedBytes)} of ${megabytes(totalBytes)}`
        : ` · ${megabytes(loadedBytes)}`
      : "";
  const ahead =
    progress.stage === "building" && progress.ahead
      ? ` · after ${progress.ahead} other task${progress.ahead === 1 ? "" : "s"}`
      : "";
  return `${stage}${bytes}${ahead} · ${Math.floor(elapsedMs / 1000)} s`;
}
