// Forking a run at a step: which steps a run can be forked at, and why it cannot be here.
import type { RunRecord } from "./run";
import type { TaskBundle } from "./task";

/** The last step a run has a tool call in (0 for none): the steps it can be forked after are 0..this. */
export function lastStep(record: RunRecord): number {
  let last = 0;
  for (const event of record.events)
    if (event.type === "tool-call" && event.step > last) last = event.step;
  return last;
}

/**
 * Why `record` cannot be forked after `step` with this OpsLab's `task`, or undefined when it can: the
 * task must be here and the recorded one (same id, title, domain, difficulty), the step one the run has.
 */
export function unforkableReason(
  record: RunRecord,
  task: TaskBundle | undefined,
  step: number,
): string | undefined {
  if (!task)
    return `The task "${record.task.id}" is not in this OpsLab: it cannot be set up, so the run cannot be forked here.`;
  if (task.meta.id !== record.task.id)
    return `The run is of task "${record.task.id}", not "${task.meta.id}".`;
  const changed = (["title", "domain", "difficulty"] as const).filter(
    (key) => task.meta[key] !== record.task[key],
  );
  if (changed.length > 0)
    return `This OpsLab's task "${task.meta.id}" differs from the recorded one (its ${changed.join(", ")} changed): a fork would replay the steps on another task.`;
  const last = lastStep(record);
  if (!Number.isInteger(step) || step < 0 || step > last)
    return `The run has steps 0 to ${last}: it cannot be forked at step ${step}.`;
  return undefined;
}
