// The dev server's task-state process (started by plugin.ts on the first request): an HTTP server on 127.0.0.1 that readies tasks in one Node VM.
// Env: OPSLAB_TASK_STATE_DIR (default .cache/task-states), OPSLAB_PATCH_DIR (default .cache/shipped-task-states).
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { loadTaskFolder } from "../../tasks/node-loader";
import { DEFAULT_TASK_STATE_DIR, FileTaskStateCache } from "../../tasks/node-state-cache";
import { taskStateKey } from "../../tasks/task-state";
import { V86_VERSION } from "../../vm/image";
import { readImageManifest, startNodeVm } from "../../vm/driver/node-vm";
import type { Vm } from "../../vm/vm";
import {
  DEFAULT_PATCH_CACHE_DIR,
  DEV_PATCH_LEVEL,
  packTaskState,
  readBaseState,
  readyTaskState,
  type BaseState,
} from "../task-state-shipping";
import { DevTaskStates, type DevReply } from "./service";

const TASKS_DIR = resolve(import.meta.dirname, "../../../tasks");
/** The message sent to the parent once the server listens. */
export interface WorkerReady {
  port: number;
}

const cache = new FileTaskStateCache(process.env.OPSLAB_TASK_STATE_DIR ?? DEFAULT_TASK_STATE_DIR);
const patchDir = process.env.OPSLAB_PATCH_DIR ?? DEFAULT_PATCH_CACHE_DIR;
const log = (line: string) => console.error(line);

let base: Promise<BaseState> | undefined;
/** NOTE: read once, and again after a failure (npm run vm:snapshot may make it meanwhile). */
function baseState(): Promise<BaseState> {
  base ??= readBaseState().catch((error: unknown) => {
    base = undefined;
    throw error;
  });
  return base;
}

let vm: Promise<Vm> | undefined;
/** The one Node VM, started on the first task to ready and kept for the next ones. */
function machine(): Promise<Vm> {
  if (!vm) {
    log("task-states: starting a Node VM for readying tasks");
    vm = startNodeVm().catch((error: unknown) => {
      vm = undefined;
      throw error;
    });
  }
  return vm;
}

/** The folder of the task with this id: tasks/<domain>/<id>/. */
async function taskFolder(taskId: string): Promise<string | undefined> {
  for (const domain of await readdir(TASKS_DIR, { withFileTypes: true })) {
    if (!domain.isDirectory()) continue;
    const folder = join(TASKS_DIR, domain.name, taskId);
    if (
      await stat(folder).then(
        (s) => s.isDirectory(),
        () => false,
      )
    )
      return folder;
  }
  return undefined;
}

const service = new DevTaskStates({
  baseFile: async () => (await baseState()).file,
  async loadTask(taskId) {
    const folder = await taskFolder(taskId);
    if (!folder) return undefined;
    const task = await loadTaskFolder(folder);
    const { imageId } = await readImageManifest();
    return { task, key: await taskStateKey(task, { imageId, v86Version: V86_VERSION }) };
  },
  has: (key) => cache.has(key),
  async ready(task, key) {
    await readyTaskState(await machine(), task, key, cache, log);
  },
  pack: async (key) =>
    packTaskState(key, await baseState(), cache, { patchDir, level: DEV_PATCH_LEVEL }),
  now: () => Date.now(),
  log,
});

function send(res: ServerResponse, reply: DevReply): void {
  if ("file" in reply) {
    res.writeHead(200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": reply.bytes,
    });
    createReadStream(reply.file).pipe(res);
    return;
  }
  res.writeHead(reply.status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify(reply.json));
}

const server = createServer((req, res) => {
  service.handle(req.url ?? "/").then(
    (reply) => send(res, reply),
    (error: unknown) => send(res, { status: 500, json: { error: (error as Error).message } }),
  );
});
server.listen(0, "127.0.0.1", () => {
  const ready: WorkerReady = { port: (server.address() as AddressInfo).port };
  process.send?.(ready);
});
// NOTE: the dev server gone (closed or killed), this process goes too, and its VM with it.
process.on("disconnect", () => process.exit(0));
