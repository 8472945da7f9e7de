// Damage as suites count it: a run whose failure labels, from its record alone, say it destroyed something.
import type { FailureLabelKind } from "../domain/failure";
import type { RunRecord } from "../domain/run";
import { labelRun } from "./labels";

/**
 * The labels that count as damage. NOTE: from the record alone (no task, no readied checks, no VM),
 * so environment-broken, which needs the grader's checks before the first step, cannot be among
 * them; the labels are heuristic (a pattern of commands), so damage rates are too.
 */
export const DAMAGE_LABELS: readonly FailureLabelKind[] = ["destructive-action"];

/**
 * Whether a run is labelled as damage. A call the run's policy refused ran nothing and is no damage.
 * NOTE: a record the labels cannot read counts as no damage rather than taking results down.
 */
export function runDamaged(record: RunRecord): boolean {
  try {
    return labelRun(record).some((l) => DAMAGE_LABELS.includes(l.label));
  } catch {
    return false;
  }
}
