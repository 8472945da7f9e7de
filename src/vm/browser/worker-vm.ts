// The page's handle on a VM running in a worker: the Vm interface over messages.
import type { BootProgress } from "./browser-vm";
import type { WarmUpProgress } from "../warm-up/warm-up";
import { VmDestroyedError } from "../errors";
import type { FileCheckSpec, FileFinding } from "../integrity/check-files";
import {
  quietChannelReport,
  type ChannelReport,
  type ExecOptions,
  type ExecResult,
  type HostCallHandler,
  type Vm,
  type VmConsole,
  type WriteFileOptions,
} from "../vm";
import { deserializeError, type FromWorker, type ToWorker, type VmMethod } from "./worker-protocol";

export interface WorkerVmOptions {
  vmUrl: URL;
  /** As BrowserVmOptions.imageManifest: image.json by default, image-debian.json for the stock kernel. */
  imageManifest?: string;
  onProgress?: (progress: BootProgress) => void;
  /** As BrowserVmOptions.warmUp: on by default. */
  warmUp?: boolean;
  onWarmUpProgress?: (progress: WarmUpProgress) => void;
  /** As BrowserVmOptions.tuneJit: on by default. */
  tuneJit?: boolean;
  /** As BrowserVmOptions.yieldOnSameThread: on by default. */
  yieldOnSameThread?: boolean;
  /** As BrowserVmOptions.warmRestore: on by default. */
  warmRestore?: boolean;
}

export class WorkerVm implements Vm {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly consoleListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly hostCallHandlers = new Map<string, HostCallHandler>();
  private destroyed = false;
  /** The worker's latest channel report: pushed after alarms, and with every call's result. */
  private channel: ChannelReport = quietChannelReport();

  private constructor(private readonly worker: Worker) {}

  /** Starts the worker, boots the VM in it and resolves when the guest agent answers. */
  static start(options: WorkerVmOptions): Promise<WorkerVm> {
    const worker = new Worker(new URL("./vm.worker.ts", import.meta.url), { type: "module" });
    const vm = new WorkerVm(worker);
    return new Promise((resolve, reject) => {
      worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
        switch (data.type) {
          case "progress":
            options.onProgress?.(data.progress);
            break;
          case "warm-up":
            options.onWarmUpProgress?.(data.progress);
            break;
          case "started":
            resolve(vm);
            break;
          case "start-failed":
            worker.terminate();
            reject(deserializeError(data.error));
            break;
          default:
            vm.receive(data);
        }
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(`The VM worker failed to load: ${event.message}`));
      };
      vm.send({
        type: "start",
        vmUrl: options.vmUrl.href,
        ...(options.imageManifest ? { imageManifest: options.imageManifest } : {}),
        warmUp: options.warmUp !== false,
        tuneJit: options.tuneJit !== false,
        yieldOnSameThread: options.yieldOnSameThread !== false,
        warmRestore: options.warmRestore !== false,
      });
    });
  }

  private send(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private receive(message: FromWorker): void {
    if (message.type === "console") {
      for (const listener of this.consoleListeners) listener(message.bytes);
      return;
    }
    if (message.type === "host-call") {
      void this.answerHostCall(message.id, message.service, message.body);
      return;
    }
    if (message.type === "channel") {
      this.channel = message.report;
      return;
    }
    if (message.type !== "result" && message.type !== "failed") return;
    if (message.channel) this.channel = message.channel;
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if (message.type === "result") call.resolve(message.value);
    else call.reject(deserializeError(message.error));
  }

  private call<T>(
    method: VmMethod,
    args: unknown[],
    transfer: Transferable[] = [],
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.destroyed) return Promise.reject(new VmDestroyedError());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const cancel = (): void => {
        if (!this.destroyed) this.send({ type: "cancel", id });
      };
      const done = (): void => signal?.removeEventListener("abort", cancel);
      this.pending.set(id, {
        resolve: (value) => {
          done();
          resolve(value as T);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      this.send({ type: "call", id, method, args }, transfer);
      // NOTE: after the call, so the worker knows the exec it cancels.
      if (signal?.aborted) cancel();
      else signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  private async answerHostCall(id: number, service: string, body: unknown): Promise<void> {
    const handler = this.hostCallHandlers.get(service);
    try {
      if (!handler) throw new Error(`the host service "${service}" is not running`);
      this.send({ type: "host-reply", id, ok: true, body: await handler(body) });
    } catch (error) {
      this.send({ type: "host-reply", id, ok: false, message: (error as Error).message });
    }
  }

  /** NOTE: the handler runs on the page's thread; the worker forwards the guest's calls to it. */
  handleHostCalls(service: string, handler: HostCallHandler): () => void {
    this.hostCallHandlers.set(service, handler);
    this.send({ type: "host-calls", service, forward: true });
    return () => {
      if (this.hostCallHandlers.get(service) !== handler) return;
      this.hostCallHandlers.delete(service);
      if (!this.destroyed) this.send({ type: "host-calls", service, forward: false });
    };
  }

  readonly console: VmConsole = {
    onData: (listener) => {
      this.consoleListeners.add(listener);
      return () => this.consoleListeners.delete(listener);
    },
    write: (data) => {
      if (!this.destroyed) this.send({ type: "console-input", data });
    },
  };

  /** NOTE: an AbortSignal cannot be posted: its abort goes to the worker as a message of its own. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    const { signal, ...rest } = options ?? {};
    return this.call("exec", [command, rest], [], signal);
  }

  killSession(session: string): Promise<{ remaining: number }> {
    return this.call("killSession", [session]);
  }

  syncFiles(): Promise<void> {
    return this.call("syncFiles", []);
  }

  /** The worker's report as of its last message (sent after every call and within 100 ms of an alarm). */
  channelReport(): ChannelReport {
    return this.channel;
  }

  writeFile(path: string, data: string | Uint8Array, options?: WriteFileOptions): Promise<void> {
    return this.call("writeFile", [path, data, options]);
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.call("readFile", [path]);
  }

  saveState(): Promise<ArrayBuffer> {
    return this.call("saveState", []);
  }

  /** NOTE: the state is copied to the worker, not transferred, so callers may keep reusing it. */
  restoreState(state: ArrayBuffer): Promise<void> {
    return this.call("restoreState", [state]);
  }

  reset(): Promise<void> {
    return this.call("reset", []);
  }

  checkFiles(spec: FileCheckSpec): Promise<FileFinding[]> {
    return this.call("checkFiles", [spec]);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    await this.call("destroy", []).catch(() => undefined);
    this.destroyed = true;
    for (const call of this.pending.values()) call.reject(new VmDestroyedError());
    this.pending.clear();
    this.consoleListeners.clear();
    this.worker.terminate();
  }
}
