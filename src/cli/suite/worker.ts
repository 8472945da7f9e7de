// A suite worker's entry: one VM in a worker thread or a child process, running the jobs its parent sends.
import { resolve } from "node:path";
import { parentPort } from "node:worker_threads";
import type { TaskBundle } from "../../domain/task";
import { loadTaskFolder } from "../../tasks/node-loader";
import { FileTaskStateCache } from "../../tasks/node-state-cache";
import { readImageManifest, startNodeVm } from "../../vm/driver/node-vm";
import type { V86Vm } from "../../vm/driver/v86-vm";
import type { FromWorker, SuiteJob, ToWorker, WorkerInit } from "./protocol";
import { runSuiteItem } from "./run-item";

/** Sends a message; resolves once it is on its way (before a child process may exit). */
const send = (message: FromWorker): Promise<void> =>
  new Promise((done) => {
    if (parentPort) {
      parentPort.postMessage(message);
      done();
    } else if (process.send) process.send(message, undefined, {}, () => done());
    else
      throw new Error(
        "worker.ts runs only as a suite worker (a worker thread or a forked process)",
      );
  });

let vm: V86Vm | undefined;
let init: WorkerInit | undefined;
let stateCache: { cache: FileTaskStateCache; imageId: string } | undefined;
const tasks = new Map<string, Promise<TaskBundle>>();
/** NOTE: one job at a time: a VM runs one task; messages that arrive meanwhile wait their turn. */
let queue = Promise.resolve();

async function start(message: WorkerInit): Promise<void> {
  init = message;
  try {
    vm = await startNodeVm();
    stateCache = {
      cache: new FileTaskStateCache(...(message.taskStateDir ? [message.taskStateDir] : [])),
      imageId: (await readImageManifest()).imageId,
    };
  } catch (error) {
    await send({ type: "fatal", message: `the VM did not start: ${(error as Error).message}` });
    process.exit(1);
  }
  await send({ type: "ready" });
}

async function run(job: SuiteJob): Promise<void> {
  if (!vm || !init) throw new Error("a job came before init");
  try {
    const folder = resolve(job.folder);
    if (!tasks.has(folder)) tasks.set(folder, loadTaskFolder(folder));
    const task = await (tasks.get(folder) as Promise<TaskBundle>);
    const record = await runSuiteItem(vm, task, job.item, init.settings, stateCache);
    await send({ type: "done", index: job.index, record });
  } catch (error) {
    await send({ type: "failed", index: job.index, message: (error as Error).message });
  }
}

async function stop(): Promise<void> {
  await vm?.destroy().catch(() => undefined);
  await send({ type: "stopped", maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  // NOTE: a worker thread is ended by its parent once "stopped" arrives (exiting here could drop it).
  if (!parentPort) process.exit(0);
}

const handle = (message: ToWorker): void => {
  queue = queue.then(() =>
    message.type === "init"
      ? start(message.init)
      : message.type === "run"
        ? run(message.job)
        : stop(),
  );
};
if (parentPort) parentPort.on("message", handle);
else process.on("message", (message) => handle(message as ToWorker));
