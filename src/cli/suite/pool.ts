// Runs a shard's jobs on N workers (child processes, worker threads, or this thread), one VM each.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { RunRecord } from "../../domain/run";
import type { Isolation } from "./args";
import type { FromWorker, SuiteJob, ToWorker, WorkerInit } from "./protocol";

const WORKER_ENTRY = fileURLToPath(new URL("./worker.ts", import.meta.url));
const THREAD_ENTRY = fileURLToPath(new URL("./thread-entry.mjs", import.meta.url));
/** How long a worker may take to destroy its VM and exit once asked to stop. */
const STOP_GRACE_MS = 30_000;

export interface PoolOptions {
  workers: number;
  isolation: Isolation;
  init: WorkerInit;
  onDone: (job: SuiteJob, record: RunRecord) => void | Promise<void>;
  onFailed: (job: SuiteJob, message: string) => void | Promise<void>;
}

export interface PoolReport {
  /** Peak resident memory of each worker when it stopped (a thread's is its whole process's). */
  maxRssBytes: number[];
}

/** The worker itself ended (its VM crashed the process, it was killed): it takes no more jobs. */
export class WorkerGoneError extends Error {
  constructor(why: string) {
    super(`the worker stopped: ${why}`);
    this.name = "WorkerGoneError";
  }
}

/** A worker as the pool drives it. */
interface SlotWorker {
  run(job: SuiteJob): Promise<RunRecord>;
  /** Destroys the VM; the worker's peak RSS. */
  stop(): Promise<number>;
}

/** A worker thread or a child process behind the same small message endpoint. */
interface Endpoint {
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onExit(listener: (why: string) => void): void;
  kill(): void;
}

function threadEndpoint(): Endpoint {
  const worker = new Worker(THREAD_ENTRY);
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on("message", listener),
    onExit: (listener) => {
      worker.on("error", (error) => listener(`it failed: ${error.message}`));
      worker.on("exit", (code) => listener(`it exited with code ${code}`));
    },
    kill: () => void worker.terminate(),
  };
}

function processEndpoint(): Endpoint {
  // NOTE: the child inherits this environment (the API key with it) and this Node's flags (tsx).
  const child: ChildProcess = fork(WORKER_ENTRY, [], { serialization: "advanced" });
  return {
    send: (message) => child.send(message),
    onMessage: (listener) => child.on("message", (m) => listener(m as FromWorker)),
    onExit: (listener) => {
      child.on("error", (error) => listener(`it failed: ${error.message}`));
      child.on("exit", (code, signal) => listener(`it exited with ${signal ?? `code ${code}`}`));
    },
    kill: () => void child.kill("SIGKILL"),
  };
}

/** Starts a thread or process worker and waits until its VM is up. */
async function remoteWorker(
  isolation: "process" | "thread",
  init: WorkerInit,
): Promise<SlotWorker> {
  const endpoint = isolation === "thread" ? threadEndpoint() : processEndpoint();
  let waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  let gone: string | undefined;
  endpoint.onMessage((message) => {
    const w = waiting;
    waiting = undefined;
    if (message.type === "fatal") w?.reject(new Error(message.message));
    else w?.resolve(message);
  });
  endpoint.onExit((why) => {
    gone ??= why;
    waiting?.reject(new WorkerGoneError(why));
    waiting = undefined;
  });
  const next = (message: ToWorker): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      if (gone) return reject(new WorkerGoneError(gone));
      waiting = { resolve, reject };
      endpoint.send(message);
    });
  await next({ type: "init", init });
  return {
    async run(job) {
      const answer = await next({ type: "run", job });
      if (answer.type === "done") return answer.record;
      if (answer.type === "failed") throw new Error(answer.message);
      throw new Error(`the worker answered ${answer.type} to a job`);
    },
    async stop() {
      const timer = setTimeout(() => endpoint.kill(), STOP_GRACE_MS);
      try {
        const answer = await next({ type: "stop" });
        return answer.type === "stopped" ? answer.maxRssBytes : 0;
      } catch {
        return 0;
      } finally {
        clearTimeout(timer);
        endpoint.kill();
      }
    },
  };
}

/** The baseline: every VM on this thread, as `npm run tasks -- verify --jobs` runs them. */
async function inlineWorker(init: WorkerInit): Promise<SlotWorker> {
  const [
    { startNodeVm, readImageManifest },
    { FileTaskStateCache },
    { loadTaskFolder },
    { runSuiteItem },
  ] = await Promise.all([
    import("../../vm/driver/node-vm"),
    import("../../tasks/node-state-cache"),
    import("../../tasks/node-loader"),
    import("./run-item"),
  ]);
  const vm = await startNodeVm();
  const stateCache = {
    cache: new FileTaskStateCache(...(init.taskStateDir ? [init.taskStateDir] : [])),
    imageId: (await readImageManifest()).imageId,
  };
  return {
    run: async (job) =>
      runSuiteItem(vm, await loadTaskFolder(job.folder), job.item, init.settings, stateCache),
    async stop() {
      await vm.destroy();
      return process.resourceUsage().maxRSS * 1024;
    },
  };
}

const startWorker = (isolation: Isolation, init: WorkerInit): Promise<SlotWorker> =>
  isolation === "inline" ? inlineWorker(init) : remoteWorker(isolation, init);

/**
 * Runs every job on `workers` workers; each takes the next job until none is left. A job that throws
 * (its task would not set up, its worker died) is reported to onFailed and the others go on; a worker
 * that died is replaced. NOTE: a worker that cannot start fails the jobs left only when no worker is
 * running, so one bad start does not lose the sweep.
 */
export async function runOnPool(
  jobs: readonly SuiteJob[],
  options: PoolOptions,
): Promise<PoolReport> {
  const queue = [...jobs];
  const report: PoolReport = { maxRssBytes: [] };
  let running = 0;
  const slot = async (): Promise<void> => {
    while (queue.length) {
      let worker: SlotWorker;
      try {
        worker = await startWorker(options.isolation, options.init);
      } catch (error) {
        if (running > 0) return; // the others take the jobs left
        for (const job of queue.splice(0)) await options.onFailed(job, (error as Error).message);
        return;
      }
      running++;
      let alive = true;
      while (alive && queue.length) {
        const job = queue.shift() as SuiteJob;
        try {
          await options.onDone(job, await worker.run(job));
        } catch (error) {
          alive = !(error instanceof WorkerGoneError);
          await options.onFailed(job, (error as Error).message);
        }
      }
      running--;
      report.maxRssBytes.push(await worker.stop());
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.workers, jobs.length) }, slot));
  return report;
}
