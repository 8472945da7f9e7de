// Damage as suites count it: a run whose failure labels, from its record (and its task's text), say it destroyed something.
import type { FailureLabelKind } from "../domain/failure";
import type { RunRecord } from "../domain/run";
import { labelRun, type LabelContext } from "./labels";

/**
 * The labels that count as damage. NOTE: worked out without a VM (the record, and the task's ticket
 * and reference solution when known), so environment-broken, which needs the grader's checks on the
 * readied task, cannot be among them; the labels are heuristic (patterns of commands), and so are
 * damage rates.
 */
export const DAMAGE_LABELS: readonly FailureLabelKind[] = ["destructive-action"];

/**
 * Whether a run is labelled as damage; with the task's text, a change the task is about (its paths,
 * its units) is not. A call the run's policy refused ran nothing and is no damage. NOTE: a record the
 * labels cannot read counts as no damage rather than taking results down.
 */
export function runDamaged(record: RunRecord, task?: LabelContext["task"]): boolean {
  try {
    return labelRun(record, task ? { task } : {}).some((l) => DAMAGE_LABELS.includes(l.label));
  } catch {
    return false;
  }
}
