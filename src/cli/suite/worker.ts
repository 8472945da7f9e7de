// A suite worker (job-pool.ts): one VM, running the suite items its pool sends.
import { resolve } from "node:path";
import type { RunRecord } from "../../domain/run";
import type { TaskBundle } from "../../domain/task";
import type { JobWorker } from "../../tasks/job-pool";
import { loadTaskFolder } from "../../tasks/node-loader";
import { FileTaskStateCache } from "../../tasks/node-state-cache";
import { readImageManifest, startNodeVm } from "../../vm/driver/node-vm";
import type { SuiteJob } from "./protocol";
import { runSuiteItem, type ItemSettings } from "./run-item";

const suiteWorker: JobWorker<ItemSettings, SuiteJob, RunRecord> = async (settings) => {
  const vm = await startNodeVm();
  const stateCache = {
    cache: new FileTaskStateCache(),
    imageId: (await readImageManifest()).imageId,
  };
  const tasks = new Map<string, Promise<TaskBundle>>();
  return {
    async run(job) {
      const folder = resolve(job.folder);
      if (!tasks.has(folder)) tasks.set(folder, loadTaskFolder(folder));
      const task = await (tasks.get(folder) as Promise<TaskBundle>);
      return runSuiteItem(vm, task, job.item, settings, stateCache);
    },
    stop: () => vm.destroy(),
  };
};
export default suiteWorker;
