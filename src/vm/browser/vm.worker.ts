// The VM worker: runs v86 and its driver off the page's main thread and answers the page's calls.
import { startBrowserVm } from "./browser-vm";
import type { V86Vm } from "../driver/v86-vm";
import type { ExecOptions } from "../vm";
import {
  CHANNEL_REPORT_INTERVAL_MS,
  serializeError,
  type FromWorker,
  type ToWorker,
} from "./worker-protocol";

const scope = globalThis as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer: Transferable[] = []) =>
  scope.postMessage(message, transfer);

let vm: V86Vm | undefined;
/** Guest calls forwarded to the page, waiting for its answer. */
const hostCalls = new Map<
  number,
  { resolve: (body: unknown) => void; reject: (e: Error) => void }
>();
const forwarding = new Map<string, () => void>();
let nextHostCall = 1;
/** The signals of the page's exec calls in flight, by call id. */
const execSignals = new Map<number, AbortController>();
let channelReportTimer: ReturnType<typeof setTimeout> | undefined;

/** Sends the channel report after an alarm, at most once per CHANNEL_REPORT_INTERVAL_MS. */
function channelChanged(): void {
  if (channelReportTimer !== undefined) return;
  channelReportTimer = setTimeout(() => {
    channelReportTimer = undefined;
    if (vm) post({ type: "channel", report: vm.channelReport() });
  }, CHANNEL_REPORT_INTERVAL_MS);
}

function forwardHostCalls(service: string, forward: boolean): void {
  forwarding.get(service)?.();
  forwarding.delete(service);
  if (!forward || !vm) return;
  const stop = vm.handleHostCalls(
    service,
    (body) =>
      new Promise((resolve, reject) => {
        const id = nextHostCall++;
        hostCalls.set(id, { resolve, reject });
        post({ type: "host-call", id, service, body });
      }),
  );
  forwarding.set(service, stop);
}

async function call(id: number, method: string, args: unknown[]): Promise<unknown> {
  if (!vm) throw new Error("The VM has not started.");
  switch (method) {
    case "exec": {
      const signal = new AbortController();
      execSignals.set(id, signal);
      try {
        return await vm.exec(args[0] as string, {
          ...(args[1] as ExecOptions | undefined),
          signal: signal.signal,
        });
      } finally {
        execSignals.delete(id);
      }
    }
    case "killSession":
      return vm.killSession(args[0] as string);
    case "syncFiles":
      return vm.syncFiles();
    case "writeFile":
      return vm.writeFile(
        args[0] as string,
        args[1] as string | Uint8Array,
        args[2] as Parameters<V86Vm["writeFile"]>[2],
      );
    case "readFile":
      return vm.readFile(args[0] as string);
    case "saveState":
      return vm.saveState();
    case "restoreState":
      return vm.restoreState(args[0] as ArrayBuffer);
    case "reset":
      return vm.reset();
    case "destroy":
      return vm.destroy();
    case "checkFiles":
      return vm.checkFiles(args[0] as Parameters<V86Vm["checkFiles"]>[0]);
    default:
      throw new Error(`unknown VM call ${method}`);
  }
}

scope.onmessage = ({ data: message }) => {
  switch (message.type) {
    case "start":
      startBrowserVm({
        vmUrl: new URL(message.vmUrl),
        ...(message.imageManifest ? { imageManifest: message.imageManifest } : {}),
        warmUp: message.warmUp,
        tuneJit: message.tuneJit,
        yieldOnSameThread: message.yieldOnSameThread,
        warmRestore: message.warmRestore,
        onProgress: (progress) => post({ type: "progress", progress }),
        onWarmUpProgress: (progress) => post({ type: "warm-up", progress }),
        onChannelAlarm: channelChanged,
      }).then(
        (started) => {
          vm = started;
          started.console.onData((bytes) => post({ type: "console", bytes }, [bytes.buffer]));
          post({ type: "started" });
        },
        (error: unknown) => post({ type: "start-failed", error: serializeError(error) }),
      );
      break;
    case "call":
      call(message.id, message.method, message.args).then(
        (value) => {
          const transfer = value instanceof ArrayBuffer ? [value] : [];
          const channel = vm?.channelReport();
          post(
            { type: "result", id: message.id, value, ...(channel ? { channel } : {}) },
            transfer,
          );
        },
        (error: unknown) => {
          const channel = vm?.channelReport();
          const failed = { type: "failed", id: message.id, error: serializeError(error) } as const;
          post({ ...failed, ...(channel ? { channel } : {}) });
        },
      );
      break;
    case "cancel":
      execSignals.get(message.id)?.abort();
      break;
    case "console-input":
      vm?.console.write(message.data);
      break;
    case "host-calls":
      forwardHostCalls(message.service, message.forward);
      break;
    case "host-reply": {
      const waiting = hostCalls.get(message.id);
      hostCalls.delete(message.id);
      if (message.ok) waiting?.resolve(message.body);
      else waiting?.reject(new Error(message.message));
      break;
    }
  }
};
