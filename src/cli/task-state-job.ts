// A job worker of `npm run build:task-states` (job-pool.ts): readies each task folder it is sent into
// .cache/task-states, in a VM of its own.
import { loadTaskFolder } from "../tasks/node-loader";
import type { JobWorker } from "../tasks/job-pool";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import { startNodeVm } from "../vm/driver/node-vm";
import { readyTaskState } from "./task-state-shipping";

/** What build:task-states sends for each task not in the cache yet: its folder and its state's key. */
export interface TaskStateJob {
  folder: string;
  key: string;
}

const taskStateWorker: JobWorker<undefined, TaskStateJob, void> = async () => {
  const vm = await startNodeVm();
  const cache = new FileTaskStateCache();
  return {
    async run({ folder, key }) {
      // NOTE: a task that fails to set up (twice: a loaded machine can time a setup out) has no state in
      // the cache, so it ships none and sets up in the page as before; the build goes on and says so.
      await readyTaskState(vm, await loadTaskFolder(folder), key, cache).catch(() => undefined);
    },
    stop: () => vm.destroy(),
  };
};
export default taskStateWorker;
