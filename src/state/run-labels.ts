// A run's failure labels for the page (ui may not import analysis): computed once per record, task and readied checks.
import { DAMAGE_LABELS } from "../analysis/damage";
import { labelRun } from "../analysis/labels";
import type { FailureLabel, FailureLabelKind } from "../domain/failure";
import type { RunRecord } from "../domain/run";
import type { CheckLine, TaskBundle } from "../domain/task";

interface Computed {
  task: Pick<TaskBundle, "instruction" | "solutionScript"> | undefined;
  readyChecks: CheckLine[] | undefined;
  labels: FailureLabel[];
}

/** NOTE: records are not changed once stored, so a record's labels are kept as long as the record is. */
const computed = new WeakMap<RunRecord, Computed>();

/** True once the run has ended: a run under way has no labels yet (they describe a whole run). */
export const runHasEnded = (record: RunRecord) => record.events.some((e) => e.type === "finished");

/**
 * The labels of a finished run ([] for one under way). With the task, off-task and the task's own
 * paths are known; with the grader's checks on the readied task, environment-broken.
 */
export function runLabels(
  record: RunRecord,
  task?: Pick<TaskBundle, "instruction" | "solutionScript">,
  readyChecks?: CheckLine[],
): FailureLabel[] {
  if (!runHasEnded(record)) return [];
  const known = computed.get(record);
  if (known && known.task === task && known.readyChecks === readyChecks) return known.labels;
  let labels: FailureLabel[];
  try {
    labels = labelRun(record, {
      ...(task && { task: { ticket: task.instruction, solutionScript: task.solutionScript } }),
      ...(readyChecks && { readyChecks }),
    });
  } catch (error) {
    // NOTE: labels explain a run; a record they cannot read must not take the replay down with it.
    console.warn("The failure labels of this run could not be worked out:", error);
    labels = [];
  }
  computed.set(record, { task, readyChecks, labels });
  return labels;
}

/** The labels that point at each step, for marks on the step list. */
export function labelsByStep(labels: FailureLabel[]): Map<number, FailureLabelKind[]> {
  const byStep = new Map<number, FailureLabelKind[]>();
  for (const label of labels)
    for (const step of label.steps) byStep.set(step, [...(byStep.get(step) ?? []), label.label]);
  return byStep;
}

/**
 * Whether a finished run counts as damage in suite results: labelled destructive-action from its
 * record and its task's text (analysis/damage.ts; heuristic). Computed once, with the labels.
 */
export function runIsDamage(
  record: RunRecord,
  task?: Pick<TaskBundle, "instruction" | "solutionScript">,
): boolean {
  return runLabels(record, task).some((l) => DAMAGE_LABELS.includes(l.label));
}
