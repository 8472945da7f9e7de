// The dev server's task states (npm run dev): served by key as the build ships them, a missing one readied on demand, one task at a time.
import type { TaskBundle } from "../../domain/task";
import {
  SHIPPED_MANIFEST_FILE,
  SHIPPED_MANIFEST_VERSION,
  type ShippedManifest,
  type ShippedStateEntry,
} from "../../tasks/shipped-states";

/** What the service needs of the machine, the task folders and the caches (fakes in unit tests). */
export interface DevTaskStatePorts {
  /** The base VM state file the shipped patches are made against (vm/state*.zst). */
  baseFile(): Promise<string>;
  /** The task with this id read afresh from tasks/, and its state key now; undefined when there is none. */
  loadTask(taskId: string): Promise<{ task: TaskBundle; key: string } | undefined>;
  /** Whether a state is kept under `key` in the task-state cache (.cache/task-states). */
  has(key: string): Promise<boolean>;
  /** Sets the task up in Node (the VM started on first use) and keeps its state under `key`. */
  ready(task: TaskBundle, key: string): Promise<void>;
  /** Packs the state kept under `key` as the build ships it: its manifest entry and the packed file. */
  pack(key: string): Promise<{ entry: ShippedStateEntry; path: string }>;
  now(): number;
  log(line: string): void;
}

/** What the page is told while its task is readied: the task, and how many tasks go before it. */
export interface BuildingStatus {
  task: string;
  ahead: number;
}

/** One answer: JSON with its status, or a packed state file to send. */
export type DevReply =
  | { status: 200; json: ShippedManifest }
  | { status: 202; json: { building: BuildingStatus } }
  | { status: 404 | 409 | 500; json: { error: string } }
  | { status: 200; file: string; bytes: number };

/** How long a request waits for its task's state before it answers "building" (202). */
export const ANSWER_WITHIN_MS = 1_500;
/** A queued task nobody has asked about for this long is dropped when its turn comes (the person moved on). */
export const UNASKED_DROP_MS = 15_000;

/** A key is `<task id>-<32 hex of its setup>-<image id>-v86-<version>` (taskStateKey). */
const KEY = /^([a-z0-9][a-z0-9-]*)-[0-9a-f]{32}-[0-9a-z]+-v86-[0-9A-Za-z.+-]+$/;
const STATE_FILE = /^[0-9a-f]{16}\.zst$/;

interface Job {
  key: string;
  task: TaskBundle;
  /** When the page last asked for it (a queued job unasked for UNASKED_DROP_MS is dropped). */
  askedMs: number;
  done: Promise<void>;
  start: () => void;
}

/** The longest reason the page is given (its terminal has the whole of it). */
const MAX_REASON_CHARS = 300;

/** An error's message on one line for the page: lines joined, cut at MAX_REASON_CHARS. */
function oneLine(message: string): string {
  const line = message.replace(/\s*\n\s*/g, " ").trim();
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
}

export class DevTaskStates {
  /** Packed states by key, and their files by name (this server's life). */
  private readonly packed = new Map<string, { entry: ShippedStateEntry; path: string }>();
  private readonly files = new Map<string, { path: string; bytes: number }>();
  /** Why a key could not be readied; asked again, it fails at once (an edit gives a new key). */
  private readonly failed = new Map<string, string>();
  private readonly queue: Job[] = [];
  private running: Job | undefined;

  constructor(
    private readonly ports: DevTaskStatePorts,
    private readonly answerWithinMs = ANSWER_WITHIN_MS,
  ) {}

  /** Answers GET `path` (below task-states/): the manifest (for one key: readied first) or a packed file. */
  async handle(path: string): Promise<DevReply> {
    const url = new URL(path, "http://dev.invalid/");
    const name = url.pathname.replace(/^\/+/, "");
    if (name === SHIPPED_MANIFEST_FILE) {
      const key = url.searchParams.get("key");
      return key === null ? this.manifest([...this.packed.keys()]) : this.forKey(key);
    }
    const file = STATE_FILE.test(name) ? this.files.get(name) : undefined;
    if (!file) return { status: 404, json: { error: `task-states/${name}: no such state here` } };
    return { status: 200, file: file.path, bytes: file.bytes };
  }

  /** The tasks waiting and the one being readied, in order (for tests and the log). */
  get pending(): string[] {
    return [...(this.running ? [this.running] : []), ...this.queue].map((job) => job.key);
  }

  private async manifest(keys: string[]): Promise<DevReply> {
    const states: Record<string, ShippedStateEntry> = {};
    for (const key of keys) {
      const packed = this.packed.get(key);
      if (packed) states[key] = packed.entry;
    }
    try {
      return {
        status: 200,
        json: { version: SHIPPED_MANIFEST_VERSION, base: await this.ports.baseFile(), states },
      };
    } catch (error) {
      return { status: 500, json: { error: `no base VM state: ${(error as Error).message}` } };
    }
  }

  private async forKey(key: string): Promise<DevReply> {
    if (this.packed.has(key)) return this.manifest([key]);
    const failure = this.failed.get(key);
    if (failure) return { status: 500, json: { error: failure } };
    let job = this.findJob(key);
    if (!job) {
      const taskId = KEY.exec(key)?.[1];
      const found = taskId ? await this.ports.loadTask(taskId) : undefined;
      if (!found)
        return { status: 404, json: { error: `no task in tasks/ has the state key ${key}` } };
      if (found.key !== key)
        return {
          status: 409,
          json: {
            error: `${taskId} on disk is not the one the page has (its setup changed): reload the page`,
          },
        };
      // NOTE: asked again while it was queued (a second tab, a retry), the same job answers both.
      job = this.findJob(key) ?? this.enqueue(key, found.task);
    }
    job.askedMs = this.ports.now();
    const settled = await Promise.race([
      job.done.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), this.answerWithinMs)),
    ]);
    if (settled || this.packed.has(key) || this.failed.has(key)) return this.forKey(key);
    const ahead = this.running === job ? 0 : this.queue.indexOf(job) + (this.running ? 1 : 0);
    return { status: 202, json: { building: { task: job.task.meta.id, ahead } } };
  }

  private findJob(key: string): Job | undefined {
    return this.running?.key === key ? this.running : this.queue.find((job) => job.key === key);
  }

  private enqueue(key: string, task: TaskBundle): Job {
    let start = () => undefined as void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const job: Job = { key, task, askedMs: this.ports.now(), start, done: Promise.resolve() };
    job.done = started.then(() => this.run(job));
    this.queue.push(job);
    if (this.running)
      this.ports.log(`task-states: ${task.meta.id}: queued behind ${this.pending.length - 1}`);
    this.next();
    return job;
  }

  /** Starts the next job when none runs, dropping the ones nobody waits for any longer. */
  private next(): void {
    while (!this.running && this.queue.length) {
      const job = this.queue.shift()!;
      if (this.ports.now() - job.askedMs > UNASKED_DROP_MS) {
        this.ports.log(
          `task-states: ${job.task.meta.id}: dropped from the queue (no page waits for it)`,
        );
        job.start();
        continue;
      }
      this.running = job;
      job.start();
    }
  }

  private async run(job: Job): Promise<void> {
    if (this.running !== job) return; // dropped
    const id = job.task.meta.id;
    const started = this.ports.now();
    try {
      if (!(await this.ports.has(job.key))) {
        this.ports.log(`task-states: ${id}: not in the cache; readying it in Node`);
        await this.ports.ready(job.task, job.key);
      }
      const packed = await this.ports.pack(job.key);
      this.packed.set(job.key, packed);
      this.files.set(packed.entry.file, { path: packed.path, bytes: packed.entry.bytes });
      this.ports.log(
        `task-states: ${id}: served as ${packed.entry.file} (${(packed.entry.bytes / 1e6).toFixed(1)} MB), ready in ${((this.ports.now() - started) / 1000).toFixed(1)} s`,
      );
    } catch (error) {
      const message = (error as Error).message;
      this.failed.set(job.key, `could not ready ${id} in Node: ${oneLine(message)}`);
      this.ports.log(
        `task-states: ${id}: could not be readied in Node, so the page sets it up itself (an edit of the task, or a restart of npm run dev, tries again):\n${message}`,
      );
    } finally {
      this.running = undefined;
      this.next();
    }
  }
}
