// One task folder verified and reported as `npm run tasks -- verify` prints it, and its figures recorded
// in .cache/verify/: the work of each job process (verify-job.ts).
import { resolve } from "node:path";
import { loadTaskFolder } from "../tasks/node-loader";
import { setUpTask } from "../tasks/runner";
import { writeVerifyRecord } from "../tasks/verify-log";
import {
  rejectedBy,
  verifyFigures,
  verifyTask,
  type VerifyFigures,
  type VerifyReport,
} from "../tasks/verify";
import type { Vm } from "../vm/vm";

export type FolderReport = VerifyReport & { folder: string; figures?: VerifyFigures };

/** What a job process is sent for each task: its folder, how many rounds, and whether to stay quiet. */
export interface VerifyJob {
  folder: string;
  repeat: number;
  /** --json: print nothing (the parent prints the reports as one JSON document). */
  json: boolean;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Readies a new VM for its first verification: sets up the task in `folder` once, untimed, and leaves
 * the VM to be reset by the verification. Never rejects (a task that cannot be set up fails in
 * verifyFolder, which says why).
 * NOTE: a new emulator has compiled none of the guest's code and read none of its files yet, so its
 * first setup took 2 to 2.5 times as long as the same setup later in the job (third-floor-no-network
 * 26.1 s against 10.1 s, indexd-open-files 16.2 against 8.0): without this, each job's first task
 * (the longest, run first) had figures that measured the job's start, not the task.
 */
export async function warmForFirstTask(vm: Vm, folder: string): Promise<void> {
  try {
    await setUpTask(vm, await loadTaskFolder(resolve(folder)));
  } catch {
    // verifyFolder reports it
  }
}

export async function verifyFolder(
  vm: Vm,
  { folder, repeat, json }: VerifyJob,
): Promise<FolderReport> {
  try {
    const task = await loadTaskFolder(resolve(folder));
    const started = Date.now();
    const report = await verifyTask(vm, task, repeat);
    const figures = verifyFigures(report);
    if (task.folderHash !== undefined)
      await writeVerifyRecord({
        id: task.meta.id,
        folderHash: task.folderHash,
        verifiedAt: new Date().toISOString(),
        repeat,
        ok: report.ok,
        ...figures,
        roundMs: Math.round((Date.now() - started) / repeat),
      });
    if (!json) {
      const typical = figures
        ? `; setup ${seconds(figures.setupMs)}, solution ${seconds(figures.solutionMs)}, grader ${seconds(figures.graderMs)}${repeat > 1 ? " (medians)" : ""}`
        : "";
      console.log(
        `${report.ok ? "ok  " : "FAIL"} ${task.meta.id} (${repeat}x in ${seconds(Date.now() - started)}${typical})`,
      );
      const wrong = report.rounds.flatMap((r) => r.wrongFixes);
      if (wrong.length) {
        const rejected = wrong.filter((w) => !w.grade.passed).length;
        console.log(`     wrong fixes rejected: ${rejected} of ${wrong.length}`);
        // Each fix and what rejected it in the first round: a fix rejected for the wrong reason is a weak test.
        for (const fix of report.rounds[0]?.wrongFixes ?? [])
          console.log(
            `       ${fix.grade.passed ? "ACCEPTED" : "rejected"} ${fix.name}${fix.grade.passed ? "" : `: ${rejectedBy(fix.grade)}`}`,
          );
      }
      for (const problem of report.problems) console.log(`     ${problem}`);
    }
    return { ...report, folder, ...(figures && { figures }) };
  } catch (error) {
    if (!json) console.log(`FAIL ${folder}\n     ${(error as Error).message}`);
    return { id: folder, folder, ok: false, rounds: [], problems: [(error as Error).message] };
  }
}

/**
 * Verifies each job a VM is sent, one after the other, the first after warmForFirstTask.
 * `verify` is verifyFolder but in tests.
 */
export function verifyInVm(
  vm: Vm,
  verify: (vm: Vm, job: VerifyJob) => Promise<FolderReport> = verifyFolder,
): (job: VerifyJob) => Promise<FolderReport> {
  let warm = false;
  return async (job) => {
    if (!warm) await warmForFirstTask(vm, job.folder);
    warm = true;
    return verify(vm, job);
  };
}
