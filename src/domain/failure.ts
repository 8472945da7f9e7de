// Failure labels of a finished run (tasks.md, "Failure modes the product teaches"): the set, and one label with its evidence.

/** Every label a finished run can carry; the live ones (LIVE_FAILURE_LABELS in run.ts) are among them. */
export const FAILURE_LABELS = [
  "repeated-command",
  "ping-pong",
  "hallucinated-command",
  "hallucinated-flag",
  "ignored-error",
  "premature-finish",
  "no-verification",
  "step-limit",
  "time-limit",
  "hung-command",
  "destructive-action",
  "environment-broken",
  "refusal",
  "off-task",
  "tampering",
] as const;
export type FailureLabelKind = (typeof FAILURE_LABELS)[number];

/** One label on a run, with the steps that show it and a sentence for a learner. */
export interface FailureLabel {
  label: FailureLabelKind;
  /** The run's step numbers (RunEvent.step) that show it, in order; empty when no one step does (a limit). */
  steps: number[];
  /** One or two plain sentences for a learner: what happened and why it matters, naming the command. */
  explanation: string;
}
