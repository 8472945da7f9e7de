// The teaching view's content for the page: a run beside its task's reference (src/analysis/teaching.ts), computed once per run and task.
import { teachRun, type Teaching } from "../analysis/teaching";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import CLOUD_QUERIES from "../cloud/queries/cloud-view.ts?raw";
import GRADER_LIB from "../tasks/grader/lib.sh?raw";

export type { AgentStep, Teaching, TeachingCheck } from "../analysis/teaching";

/** The comparison, or why there is none (no such task here, or the run could not be read). */
export type TeachingResult = { ok: true; teaching: Teaching } | { ok: false; reason: string };

/** NOTE: keyed by the record and bundle objects: a record is immutable once it ended. */
const computed = new WeakMap<RunRecord, WeakMap<TaskBundle, TeachingResult>>();

function compute(record: RunRecord, task: TaskBundle): TeachingResult {
  try {
    const teaching = teachRun(record, {
      ticket: task.instruction,
      teaches: task.meta.teaches,
      solutionScript: task.solutionScript,
      checkScript: task.checkScript,
      ...(task.hostChecksSource !== undefined && {
        hostChecksSource: task.hostChecksSource,
        cloudQuerySource: CLOUD_QUERIES,
      }),
      graderLib: GRADER_LIB,
    });
    return { ok: true, teaching };
  } catch (error) {
    // NOTE: a run is data from anywhere (a share link): whatever it holds, the page says so and goes on.
    return {
      ok: false,
      reason: `This run could not be compared with the reference (${error instanceof Error ? error.message : String(error)}).`,
    };
  }
}

/** The teaching view of a run against this OpsLab's version of its task. */
export function selectTeaching(record: RunRecord, task: TaskBundle | undefined): TeachingResult {
  if (!task)
    return {
      ok: false,
      reason: `This OpsLab has no task "${record.task.id}": there is no reference to compare the run with.`,
    };
  let byTask = computed.get(record);
  if (!byTask) computed.set(record, (byTask = new WeakMap()));
  let result = byTask.get(task);
  if (!result) byTask.set(task, (result = compute(record, task)));
  return result;
}
