// A pool worker's entry (job-pool.ts; a child process or a worker thread): starts the job worker module
// named at init and runs the items its pool sends on it, one at a time.
import { pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";
import type { FromWorker, JobWorker, ToWorker } from "./job-pool";

/** Sends a message; resolves once it is on its way (before a child process may exit). */
const send = (message: FromWorker): Promise<void> =>
  new Promise((done) => {
    if (parentPort) {
      parentPort.postMessage(message);
      done();
    } else if (process.send) process.send(message, undefined, {}, () => done());
    else
      throw new Error(
        "job-entry.ts runs only as a pool worker (a worker thread or a forked process)",
      );
  });

let worker: Awaited<ReturnType<JobWorker<unknown, unknown, unknown>>> | undefined;
/** NOTE: one item at a time: a VM runs one task; messages that arrive meanwhile wait their turn. */
let queue = Promise.resolve();

async function start(module: string, init: unknown): Promise<void> {
  try {
    const { default: startWorker } = (await import(pathToFileURL(module).href)) as {
      default: JobWorker<unknown, unknown, unknown>;
    };
    worker = await startWorker(init);
  } catch (error) {
    await send({ type: "fatal", message: `the worker did not start: ${(error as Error).message}` });
    process.exit(1);
  }
  await send({ type: "ready" });
}

async function run(item: unknown): Promise<void> {
  if (!worker) throw new Error("an item came before init");
  try {
    await send({ type: "done", result: await worker.run(item) });
  } catch (error) {
    await send({ type: "failed", message: (error as Error).message });
  }
}

async function stop(): Promise<void> {
  await worker?.stop().catch(() => undefined);
  await send({ type: "stopped", maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  // NOTE: a worker thread is ended by its parent once "stopped" arrives (exiting here could drop it).
  if (!parentPort) process.exit(0);
}

const handle = (message: ToWorker): void => {
  queue = queue.then(() =>
    message.type === "init"
      ? start(message.module, message.init)
      : message.type === "run"
        ? run(message.item)
        : stop(),
  );
};
if (parentPort) parentPort.on("message", handle);
else process.on("message", (message) => handle(message as ToWorker));
