// A comparison: two runs of one task by two agents, linked with their alignment and the pause at their first disagreement; versioned and checked on read.
import { z } from "zod";
import type { RunRecord } from "./run";

/** NOTE: bump when the persisted shape changes, and upgrade in restoreComparison(). */
export const COMPARISON_SCHEMA_VERSION = 1;

/** The two sides of a comparison, in the order they are shown (left, then right). */
export const COMPARISON_SIDES = ["left", "right"] as const;
export type ComparisonSide = (typeof COMPARISON_SIDES)[number];

/** What the person chose at the first disagreement. */
export const PAUSE_DECISIONS = ["continue", "stop", "keep-left", "keep-right"] as const;
export type PauseDecision = (typeof PAUSE_DECISIONS)[number];

/** One row of the alignment: the index of each run's call on that row (null: that run has none there). */
export type AlignedPair = [left: number | null, right: number | null];

export interface ComparisonRecord {
  schemaVersion: number;
  id: string;
  /** ISO 8601 time the comparison started. */
  createdAt: string;
  task: RunRecord["task"];
  /** The two runs (stored as ordinary runs), left then right. */
  runIds: [string, string];
  /** Each run's model, for the list (the runs hold the rest). */
  agents: [{ provider: string; model: string }, { provider: string; model: string }];
  /** The calls aligned row by row (indexes into each run's calls, in order). */
  rows: AlignedPair[];
  /** The row where the runs first part; null when they never did. */
  divergenceRow: number | null;
  /** Set when the comparison ran with "pause at the first disagreement". */
  pause?: {
    /** The model step both had reached when they parted (absent: they never parted while held). */
    step?: number;
    decision?: PauseDecision;
  };
}

const text = z.string();
const index = z.number().int().nonnegative();
const agent = z.looseObject({ provider: text, model: text });

const comparisonSchema = z.looseObject({
  schemaVersion: z.number().int().positive(),
  id: text.min(1),
  createdAt: text.refine((t) => !Number.isNaN(Date.parse(t)), "not a date"),
  task: z.looseObject({ id: text.min(1), title: text, domain: text, difficulty: text }),
  runIds: z.tuple([text.min(1), text.min(1)]),
  agents: z.tuple([agent, agent]),
  rows: z.array(z.tuple([index.nullable(), index.nullable()])),
  divergenceRow: index.nullable(),
  pause: z
    .looseObject({ step: index.optional(), decision: z.enum(PAUSE_DECISIONS).optional() })
    .optional(),
});

export class ComparisonFormatError extends Error {
  constructor(detail: string) {
    super(
      `This comparison cannot be read (${detail}); it was made by another version or damaged. Its runs are kept apart and still open from History.`,
    );
    this.name = "ComparisonFormatError";
  }
}

/** Reads a stored or shared comparison. NOTE: every version ever written must keep opening here. */
export function restoreComparison(raw: unknown): ComparisonRecord {
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === "number" && version > COMPARISON_SCHEMA_VERSION) {
    throw new ComparisonFormatError(
      `schema ${version} is newer than this OpsLab (${COMPARISON_SCHEMA_VERSION}): reload the page`,
    );
  }
  const checked = comparisonSchema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ComparisonFormatError(
      issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "a damaged record",
    );
  }
  const record = checked.data as unknown as ComparisonRecord;
  const { rows, divergenceRow } = record;
  if (divergenceRow !== null && divergenceRow >= rows.length) {
    throw new ComparisonFormatError(
      `divergenceRow ${divergenceRow} is past its ${rows.length} rows`,
    );
  }
  if (rows.some(([left, right]) => left === null && right === null)) {
    throw new ComparisonFormatError("a row holds neither run's call");
  }
  return record;
}
