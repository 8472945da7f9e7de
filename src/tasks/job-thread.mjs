// A pool's worker thread entry (job-pool.ts): registers this process's module hooks in the thread, then runs job-entry.ts.
// NOTE: on Node 20 a worker thread does not get the module hooks of Node's --import flags (a ".ts" file
// fails with "Unknown file extension"), so the thread registers them itself: tsx's through its API, the
// others (the repository's raw-text hook) by importing them again.
import { workerData } from "node:worker_threads";
import { register as registerTypeScript } from "tsx/esm/api";

registerTypeScript();
for (const hook of workerData.hooks) await import(hook);
await import("./job-entry.ts");
