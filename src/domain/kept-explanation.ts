// What a browser keeps of an explanation (where a failed run went wrong), beside the run, and reading it back checked.
import { z } from "zod";
import type { ExplainReport } from "./explanation";

/** The last explanation of a run in this browser, kept apart from the run (the record stays as recorded). */
export interface KeptExplanation {
  runId: string;
  /** ISO 8601 time the explanation ended. */
  explainedAt: string;
  report: ExplainReport;
}

const count = z.number().finite().nonnegative();
const step = z.number().int().nonnegative();

const probe = z.object({
  afterStep: step,
  kind: z.enum(["reference", "checks"]),
  referenceFixes: z.boolean().optional(),
  checks: z.array(z.object({ text: z.string(), passed: z.boolean() })).optional(),
  durationMs: count,
});

const kept = z.object({
  runId: z.string(),
  explainedAt: z.string(),
  report: z.object({
    damageStep: step.nullable(),
    bestStep: z.object({ afterStep: step, checksPassed: count, checksTotal: count }).nullable(),
    probes: z.array(probe),
    note: z.string().optional(),
    durationMs: count,
  }),
});

/** Reads a stored explanation; undefined when it is not one (a damaged or foreign value is ignored, not shown). */
export function restoreExplanation(raw: unknown): KeptExplanation | undefined {
  const parsed = kept.safeParse(raw);
  return parsed.success ? (parsed.data as KeptExplanation) : undefined;
}
