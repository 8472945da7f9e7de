// Performance marks at a run's milestones (Run pressed, agent started, agent finished, verdict), read by npm run bench:tasks -- --page.

/** The marks' names, in the order a run makes them (a run stopped while readied makes no agent-start). */
export const RUN_MARKS = {
  /** Run pressed: the store was asked to start a run. */
  start: "opslab:run-start",
  /** A saved or shipped state starts to restore into the machine (readying's "restoring" stage). */
  restoring: "opslab:ready-restoring",
  /** The task is ready and the agent starts (the run's setup event). */
  agentStart: "opslab:agent-start",
  /** The agent stopped (the run's finished event); grading starts. */
  agentEnd: "opslab:agent-end",
  /** The verdict is in (the run's graded event). */
  verdict: "opslab:verdict",
} as const;

export type RunMark = (typeof RUN_MARKS)[keyof typeof RUN_MARKS];

/**
 * Marks a milestone on the page's performance timeline (also seen in the browser's profiler).
 * NOTE: only a mark: nothing is measured or kept here, and where `performance.mark` is missing it does nothing.
 */
export function markRun(mark: RunMark): void {
  globalThis.performance?.mark?.(mark);
}
