// Vite plugin of npm run dev: task-states/* is answered by the task-state process (worker.ts), started on the first request and kept.
// NOTE: imported by vite.config.ts, so it imports nothing but Node's built-ins: the VM and the task
// code load in the child process only (tsx, Node hooks), and only when the page first asks.
import { spawn, type ChildProcess } from "node:child_process";
import { request, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { Plugin } from "vite";

/** The URL folder the page reads shipped task states from (services.ts: task-states/). */
const TASK_STATES_PATH = "/task-states";
/** How long the task-state process may take to start (tsx compiles its modules first). */
const WORKER_START_TIMEOUT_MS = 60_000;

export interface DevTaskStatesOptions {
  /** The task-state cache (default .cache/task-states, the build's). */
  cacheDir?: string;
  /** Where packed patches are kept (default .cache/shipped-task-states, the build's). */
  patchDir?: string;
}

/** The task-state process: started once, again after it exits. */
class TaskStateProcess {
  private child: ChildProcess | undefined;
  private port: Promise<number> | undefined;
  private stopping = false;

  constructor(
    private readonly root: string,
    private readonly options: DevTaskStatesOptions,
  ) {}

  /** The port it listens on, starting it when it does not run. */
  listening(): Promise<number> {
    this.port ??= this.start().catch((error: unknown) => {
      this.port = undefined;
      throw error;
    });
    return this.port;
  }

  private start(): Promise<number> {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--import",
        "./src/cli/node-hooks/register.mjs",
        join("src", "cli", "dev-task-states", "worker.ts"),
      ],
      {
        cwd: this.root,
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: {
          ...process.env,
          ...(this.options.cacheDir && { OPSLAB_TASK_STATE_DIR: this.options.cacheDir }),
          ...(this.options.patchDir && { OPSLAB_PATCH_DIR: this.options.patchDir }),
        },
      },
    );
    this.child = child;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`the task-state process did not start in ${WORKER_START_TIMEOUT_MS} ms`));
      }, WORKER_START_TIMEOUT_MS);
      child.once("message", (message: { port?: unknown }) => {
        clearTimeout(timer);
        if (typeof message.port === "number") resolve(message.port);
        else reject(new Error("the task-state process sent no port"));
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) {
          this.child = undefined;
          this.port = undefined;
        }
        reject(new Error(`the task-state process exited (${signal ?? code})`));
        if (!this.stopping)
          console.error(
            `task-states: the task-state process exited (${signal ?? code}); the next request starts it again`,
          );
      });
    });
  }

  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }
}

function replyError(res: ServerResponse, status: number, error: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify({ error }));
}

/** Passes one GET on to the task-state process and its answer back. */
function forward(port: number, path: string, res: ServerResponse, req: IncomingMessage): void {
  const upstream = request({ host: "127.0.0.1", port, path, method: "GET" }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", (error) =>
    replyError(res, 502, `the task-state process did not answer: ${error.message}`),
  );
  // NOTE: the page gave up (another pick, a stopped run): the process sees its poll stop.
  req.on("close", () => {
    if (!res.writableEnded) upstream.destroy();
  });
  upstream.end();
}

/**
 * Serves task-states/ in npm run dev as the built site ships it (manifest.json, <hash>.zst); a
 * task whose state is not cached yet is readied in Node on demand (worker.ts, service.ts).
 */
export function devTaskStates(options: DevTaskStatesOptions = {}): Plugin {
  return {
    name: "opslab-dev-task-states",
    apply: "serve",
    configureServer(server) {
      const worker = new TaskStateProcess(server.config.root, options);
      server.httpServer?.once("close", () => worker.stop());
      server.middlewares.use(TASK_STATES_PATH, (req, res, next) => {
        if (req.method !== "GET" && req.method !== "HEAD") return next();
        const path = req.url ?? "/";
        worker.listening().then(
          (port) => forward(port, path, res, req),
          (error: unknown) => {
            console.error(`task-states: ${(error as Error).message}`);
            replyError(
              res,
              503,
              `the dev server's task-state process: ${(error as Error).message}`,
            );
          },
        );
      });
    },
  };
}
