// What the page shows of a comparison: its record, its two runs and their aligned calls (the alignment worked out here, not in the view).
import type { Alignment, AlignedRow, CompareStep, Divergence, RowMatch } from "../analysis/align";
import { alignmentOf } from "../analysis/comparison";
import type { ComparisonRecord } from "../domain/comparison";
import type { RunRecord } from "../domain/run";

export type { AlignedRow, CompareStep, Divergence, RowMatch };

export interface ComparisonView {
  comparison: ComparisonRecord;
  left: RunRecord;
  right: RunRecord;
  alignment: Alignment;
}

/** The view of a comparison over its two runs (its stored rows when they fit them, else aligned again). */
export function comparisonView(
  comparison: ComparisonRecord,
  left: RunRecord,
  right: RunRecord,
): ComparisonView {
  return { comparison, left, right, alignment: alignmentOf(comparison, left, right) };
}

/** A call in a few words, as the aligned rows show it: the command line, the path written, "finish". */
export function callText(step: CompareStep): string {
  const { input } = step;
  switch (input.tool) {
    case "run_command":
      return input.command;
    case "write_file":
      return `write ${input.path}`;
    case "finish":
      return `finish: ${input.summary}`;
    case "invalid":
      return `invalid call ${input.name}: ${input.problem}`;
  }
}

export const DIVERGENCE_REASONS: Record<Divergence["reason"], string> = {
  kind: "one looks where the other changes something (or finishes)",
  action: "they run different commands",
  target: "they run the same command on different things",
  ended: "one run made no further call",
};
