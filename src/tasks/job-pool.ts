// Runs items on N job workers, one VM each (Node only): a child process, a worker thread or this thread
// each. Its users: the suite runner, verify's jobs, build:task-states' VMs, CI's task sample.
// NOTE: VMs that run side by side each need a process: an emulator is a busy JavaScript loop, so N VMs on
// one thread shared one core (two jobs ran at a load of 1.2 to 1.4 on a two-core machine); threads and
// this thread are kept for the suite's --isolation and its bench (README, "Suites").
import { fork } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** A job worker module's default export: starts its worker's resource (a VM) and runs items on it. */
export type JobWorker<Init, Item, Result> = (init: Init) => Promise<{
  run(item: Item): Promise<Result>;
  /** Releases the resource; the worker stops after it. */
  stop(): Promise<void>;
}>;

/** How the N workers run beside each other: a child process each, a worker thread each, or all on this thread. */
export const ISOLATIONS = ["process", "thread", "inline"] as const;
export type Isolation = (typeof ISOLATIONS)[number];

/** What the pool sends a worker: its module and init first, then items one at a time, then stop. */
export type ToWorker =
  | { type: "init"; module: string; init: unknown }
  | { type: "run"; item: unknown }
  | { type: "stop" };

/** What a worker answers, one answer per message. */
export type FromWorker =
  | { type: "ready" }
  | { type: "done"; result: unknown }
  | { type: "failed"; message: string }
  /** The worker cannot go on (its VM would not start): it exits after this. */
  | { type: "fatal"; message: string }
  /** Answers "stop", just before the worker exits. */
  | { type: "stopped"; maxRssBytes: number };

const JOB_ENTRY = fileURLToPath(new URL("./job-entry.ts", import.meta.url));
const THREAD_ENTRY = fileURLToPath(new URL("./job-thread.mjs", import.meta.url));
/** How long a worker may take to release its VM and exit once asked to stop. */
const STOP_GRACE_MS = 30_000;

export interface PoolOptions<Init, Result> {
  /** The file whose default export is the JobWorker. */
  module: string;
  workers: number;
  isolation: Isolation;
  init: Init;
  /**
   * Node's options for a child process (this process's by default: tsx's loader and the repository's
   * hooks); a thread registers the hooks of their --import flags.
   */
  execArgv?: string[];
  onDone: (index: number, result: Result) => void | Promise<void>;
  /** A callback that throws ends the pool: the workers are killed and runOnPool rejects with its error. */
  onFailed: (index: number, error: Error) => void | Promise<void>;
}

export interface PoolReport {
  /** Peak resident memory of each worker when it stopped (a thread's is its whole process's). */
  maxRssBytes: number[];
}

/** The worker itself ended (its VM crashed the process, it was killed): it takes no more items. */
export class WorkerGoneError extends Error {
  constructor(why: string) {
    super(`the worker ended before answering (${why})`);
    this.name = "WorkerGoneError";
  }
}

/** A worker as the pool drives it. */
interface SlotWorker {
  run(item: unknown): Promise<unknown>;
  /** Releases the VM; the worker's peak RSS. */
  stop(): Promise<number>;
  kill(): void;
}

/** A worker thread or a child process behind the same small message endpoint. */
interface Endpoint {
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onExit(listener: (why: string) => void): void;
  kill(): void;
}

/** The `--import` hooks of `execArgv` but tsx's (a thread registers tsx through its API). */
function importHooks(execArgv: readonly string[]): string[] {
  const hooks = execArgv.flatMap((arg, i) =>
    arg === "--import"
      ? [execArgv[i + 1] ?? ""]
      : arg.startsWith("--import=")
        ? [arg.slice("--import=".length)]
        : [],
  );
  return hooks
    .filter((hook) => hook !== "tsx" && !hook.includes("/tsx/"))
    .map((hook) => (/^\.{0,2}\//.test(hook) ? pathToFileURL(resolve(hook)).href : hook));
}

function threadEndpoint(execArgv: readonly string[]): Endpoint {
  const worker = new Worker(THREAD_ENTRY, { workerData: { hooks: importHooks(execArgv) } });
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on("message", listener),
    onExit: (listener) => {
      worker.on("error", (error) => listener(`it failed: ${error.message}`));
      worker.on("exit", (code) => listener(`exit ${code}`));
    },
    kill: () => void worker.terminate(),
  };
}

function processEndpoint(execArgv: string[]): Endpoint {
  // NOTE: the child inherits this environment (the API key with it) and stdout and stderr.
  const child = fork(JOB_ENTRY, [], { serialization: "advanced", execArgv });
  return {
    send: (message) => child.send(message),
    onMessage: (listener) => child.on("message", (m) => listener(m as FromWorker)),
    onExit: (listener) => {
      child.on("error", (error) => listener(`it failed: ${error.message}`));
      child.on("exit", (code, signal) => listener(signal ?? `exit ${code}`));
    },
    kill: () => void child.kill("SIGKILL"),
  };
}

/** Starts a thread or process worker and waits until its VM is up. */
async function remoteWorker(
  isolation: "process" | "thread",
  { module, init, execArgv = process.execArgv }: PoolOptions<unknown, unknown>,
): Promise<SlotWorker> {
  const endpoint = isolation === "thread" ? threadEndpoint(execArgv) : processEndpoint(execArgv);
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
  try {
    await next({ type: "init", module: resolve(module), init });
  } catch (error) {
    endpoint.kill();
    throw error;
  }
  return {
    async run(item) {
      const answer = await next({ type: "run", item });
      if (answer.type === "done") return answer.result;
      if (answer.type === "failed") throw new Error(answer.message);
      throw new Error(`the worker answered ${answer.type} to an item`);
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
    kill: endpoint.kill,
  };
}

/** The baseline: every VM on this thread (`kill` releases the VM under the item it runs). */
async function inlineWorker({ module, init }: PoolOptions<unknown, unknown>): Promise<SlotWorker> {
  const { default: start } = (await import(pathToFileURL(resolve(module)).href)) as {
    default: JobWorker<unknown, unknown, unknown>;
  };
  const worker = await start(init);
  return {
    run: (item) => worker.run(item),
    async stop() {
      await worker.stop();
      return process.resourceUsage().maxRSS * 1024;
    },
    kill: () => void worker.stop().catch(() => undefined),
  };
}

/**
 * Runs every item on `workers` workers; each takes the next item until none is left. An item that throws
 * (its task would not set up, its worker died) goes to onFailed and the others go on; a worker that died
 * is replaced. NOTE: a worker that cannot start fails the items left only when no worker is running, so
 * one bad start does not lose the sweep.
 */
export async function runOnPool<Init, Item, Result>(
  items: readonly Item[],
  options: PoolOptions<Init, Result>,
): Promise<PoolReport> {
  const { workers, isolation, onDone, onFailed } = options;
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`the number of workers must be a whole number >= 1, not ${workers}`);
  const general = options as PoolOptions<unknown, unknown>;
  const queue = items.map((item, index) => ({ item, index }));
  const report: PoolReport = { maxRssBytes: [] };
  const live = new Set<SlotWorker>();
  let ended = false;
  let running = 0;
  const slot = async (): Promise<void> => {
    while (queue.length && !ended) {
      let worker: SlotWorker;
      try {
        worker = await (isolation === "inline"
          ? inlineWorker(general)
          : remoteWorker(isolation, general));
      } catch (error) {
        if (running > 0 || ended) return; // the others take the items left
        for (const { index } of queue.splice(0)) await onFailed(index, error as Error);
        return;
      }
      live.add(worker);
      running++;
      try {
        while (queue.length && !ended) {
          const { item, index } = queue.shift() as (typeof queue)[number];
          let result: Result;
          try {
            result = (await worker.run(item)) as Result;
          } catch (error) {
            if (ended) return;
            await onFailed(index, error as Error);
            if (error instanceof WorkerGoneError) break;
            continue;
          }
          await onDone(index, result);
        }
      } catch (error) {
        // A callback threw: the pool ends with its error.
        ended = true;
        for (const w of live) w.kill();
        throw error;
      } finally {
        running--;
        live.delete(worker);
      }
      report.maxRssBytes.push(await worker.stop());
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, slot));
  return report;
}

/**
 * Runs every item on `jobs` child processes of `module` (a JobWorker taking no init); resolves with the
 * results in input order. Rejects, naming the item, when a process fails an item or ends before answering.
 */
export async function mapOnProcesses<Item, Result>(
  items: readonly Item[],
  jobs: number,
  module: string,
  { execArgv }: { execArgv?: string[] } = {},
): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  await runOnPool<undefined, Item, Result>(items, {
    module,
    workers: jobs,
    isolation: "process",
    init: undefined,
    ...(execArgv && { execArgv }),
    onDone: (index, result) => void (results[index] = result),
    onFailed: (index, error) => {
      throw new Error(`a job process failed on item ${index + 1}: ${error.message}`);
    },
  });
  return results;
}
