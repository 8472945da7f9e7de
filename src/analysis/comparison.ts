// A comparison record from two finished runs (their calls aligned, the first divergence), and the aligned rows back from a record.
import {
  COMPARISON_SCHEMA_VERSION,
  type AlignedPair,
  type ComparisonRecord,
  type PauseDecision,
} from "../domain/comparison";
import type { RunRecord } from "../domain/run";
import {
  alignSteps,
  compareKeys,
  compareSteps,
  divergenceReason,
  type AlignedRow,
  type Alignment,
  type Divergence,
} from "./align";

/** Builds the record that links two runs of one task with their alignment. */
export function buildComparison(
  id: string,
  createdAt: Date,
  left: RunRecord,
  right: RunRecord,
  pause?: { step?: number; decision?: PauseDecision },
): ComparisonRecord {
  if (left.task.id !== right.task.id) {
    throw new Error(`A comparison is of one task: ${left.task.id} and ${right.task.id} differ`);
  }
  const leftSteps = compareSteps(left.events);
  const rightSteps = compareSteps(right.events);
  const { rows, divergence } = alignSteps(leftSteps, rightSteps);
  const at = (steps: readonly unknown[], step: unknown) => (step ? steps.indexOf(step) : null);
  const pairs: AlignedPair[] = rows.map((r) => [at(leftSteps, r.left), at(rightSteps, r.right)]);
  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    id,
    createdAt: createdAt.toISOString(),
    task: left.task,
    runIds: [left.id, right.id],
    agents: [
      { provider: left.agent.provider, model: left.agent.model },
      { provider: right.agent.provider, model: right.agent.model },
    ],
    rows: pairs,
    divergenceRow: divergence?.row ?? null,
    ...(pause && { pause }),
  };
}

/**
 * The record's alignment over its runs' calls. NOTE: the stored rows are used as they are when they fit
 * the runs (every call once, in order); otherwise the runs are aligned again, so a damaged record still shows.
 */
export function alignmentOf(
  record: ComparisonRecord,
  left: RunRecord,
  right: RunRecord,
): Alignment {
  const leftSteps = compareSteps(left.events);
  const rightSteps = compareSteps(right.events);
  if (!fits(record.rows, leftSteps.length, rightSteps.length)) {
    return alignSteps(leftSteps, rightSteps);
  }
  const rows: AlignedRow[] = record.rows.map(([l, r]) => {
    const a = l === null ? null : leftSteps[l]!;
    const b = r === null ? null : rightSteps[r]!;
    return {
      left: a,
      right: b,
      match: a && b ? compareKeys(a.key, b.key) : a ? "left-only" : "right-only",
    };
  });
  const row = record.divergenceRow;
  return { rows, divergence: row === null ? null : divergenceAt(rows, row) };
}

/** True when `rows` take each call of both runs once, in order. */
function fits(rows: readonly AlignedPair[], leftCount: number, rightCount: number): boolean {
  const inOrder = (side: 0 | 1, count: number) => {
    const seen = rows.map((r) => r[side]).filter((i): i is number => i !== null);
    return seen.length === count && seen.every((v, i) => v === i);
  };
  return inOrder(0, leftCount) && inOrder(1, rightCount);
}

/** The divergence at a stored row: the next call of each run from there. */
function divergenceAt(rows: readonly AlignedRow[], row: number): Divergence {
  const next = (side: "left" | "right") => rows.slice(row).find((r) => r[side])?.[side] ?? null;
  const left = next("left");
  const right = next("right");
  return { row, left, right, reason: divergenceReason(left, right) };
}
