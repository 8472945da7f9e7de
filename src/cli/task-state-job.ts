// A job process of `npm run build:task-states` (job-processes.ts): readies each task folder it is sent
// into .cache/task-states, in a VM of its own started at the first.
import { loadTaskFolder } from "../tasks/node-loader";
import { serveJobs } from "../tasks/job-processes";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import { startNodeVm } from "../vm/driver/node-vm";
import { readyTaskState } from "./task-state-shipping";

/** What build:task-states sends for each task not in the cache yet: its folder and its state's key. */
export interface TaskStateJob {
  folder: string;
  key: string;
}

const cache = new FileTaskStateCache();

serveJobs<TaskStateJob, void, Awaited<ReturnType<typeof startNodeVm>>>(
  () => startNodeVm(),
  async ({ folder, key }, vm) => {
    // NOTE: a task that fails to set up (twice: a loaded machine can time a setup out) has no state in
    // the cache, so it ships none and sets up in the page as before; the build goes on and says so.
    await readyTaskState(vm, await loadTaskFolder(folder), key, cache).catch(() => undefined);
  },
  (vm) => vm.destroy(),
);
