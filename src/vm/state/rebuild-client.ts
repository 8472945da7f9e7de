// The page's side of the state-rebuild worker (rebuild.worker.ts): the base state is loaded and task states
// are rebuilt there, off the main thread.
import { StateRebuildError } from "./rebuild";
import type { FromRebuildWorker, ToRebuildWorker } from "./rebuild-protocol";

/** What the client needs of a Worker (a fake one in tests). */
export interface RebuildWorkerPort {
  postMessage(message: ToRebuildWorker): void;
  onmessage: ((event: MessageEvent<FromRebuildWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

type Pending = { resolve: (message: FromRebuildWorker) => void; reject: (error: Error) => void };

export class StateRebuilder {
  private worker: RebuildWorkerPort | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `start` makes the worker on first use (a Worker of rebuild.worker.ts unless a test says). */
  constructor(
    private readonly vmUrl: URL,
    private readonly imageManifest: string,
    private readonly start: () => RebuildWorkerPort = () =>
      new Worker(new URL("./rebuild.worker.ts", import.meta.url), {
        type: "module",
      }) as unknown as RebuildWorkerPort,
  ) {}

  /** Loads and keeps the base state in the worker; its file name (vm/state*.zst). */
  async baseFile(): Promise<string> {
    const reply = await this.call((id) => ({ type: "base", id, ...this.where() }));
    if (reply.type !== "base") throw new Error("the rebuild worker answered out of turn");
    return reply.file;
  }

  /** The state `packed` makes of the base; throws StateRebuildError when it does not unpack or apply. */
  async rebuild(packed: Uint8Array): Promise<Uint8Array> {
    // NOTE: copied, not transferred: the caller still reads the packed bytes (their size, for one).
    const reply = await this.call((id) => ({ type: "rebuild", id, ...this.where(), packed }));
    if (reply.type !== "rebuilt") throw new Error("the rebuild worker answered out of turn");
    return reply.state;
  }

  private where() {
    return { vmUrl: this.vmUrl.href, imageManifest: this.imageManifest };
  }

  private call(message: (id: number) => ToRebuildWorker): Promise<FromRebuildWorker> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(message(id));
    });
  }

  private ensureWorker(): RebuildWorkerPort {
    if (this.worker) return this.worker;
    const worker = this.start();
    worker.onmessage = ({ data }) => {
      const waiting = this.pending.get(data.id);
      if (!waiting) return;
      this.pending.delete(data.id);
      if (data.type !== "failed") return waiting.resolve(data);
      waiting.reject(data.patch ? new StateRebuildError(data.message) : new Error(data.message));
    };
    // NOTE: a worker that failed (to load, or later) is dropped: the next call starts a new one, and
    // every call waiting on it fails (the task then sets up afresh).
    worker.onerror = (event) => {
      worker.terminate();
      if (this.worker === worker) this.worker = undefined;
      const error = new Error(`the state-rebuild worker failed: ${event.message}`);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker = worker;
    return worker;
  }
}
