// Messages between the page and the VM worker, and how VM errors cross the boundary typed.
import type { BootProgress } from "./browser-vm";
import type { ChannelReport } from "../vm";
import type { WarmUpProgress } from "../warm-up/warm-up";
import {
  GuestOpError,
  VmAgentRestartedError,
  VmAssetError,
  VmBootError,
  VmDestroyedError,
  VmError,
  VmProtocolError,
  VmResetError,
  VmUnresponsiveError,
} from "../errors";

export type VmMethod =
  | "exec"
  | "writeFile"
  | "readFile"
  | "killSession"
  | "syncFiles"
  | "saveState"
  | "restoreState"
  | "reset"
  | "destroy"
  | "checkFiles";

export interface SerializedError {
  name: string;
  code: string | undefined;
  message: string;
}

export type ToWorker =
  | {
      type: "start";
      vmUrl: string;
      imageManifest?: string;
      warmUp: boolean;
      tuneJit: boolean;
      yieldOnSameThread: boolean;
      warmRestore: boolean;
    }
  | { type: "call"; id: number; method: VmMethod; args: unknown[] }
  /** Aborts the signal of exec call `id` (an AbortSignal cannot cross to the worker). */
  | { type: "cancel"; id: number }
  | { type: "console-input"; data: string | Uint8Array }
  /** Start or stop forwarding the guest's calls to `service` to the page. */
  | { type: "host-calls"; service: string; forward: boolean }
  | { type: "host-reply"; id: number; ok: true; body: unknown }
  | { type: "host-reply"; id: number; ok: false; message: string };

export type FromWorker =
  | { type: "progress"; progress: BootProgress }
  | { type: "started" }
  | { type: "warm-up"; progress: WarmUpProgress }
  | { type: "start-failed"; error: SerializedError }
  /**
   * NOTE: results carry the channel report as it was then (when the VM runs), so the page's copy is never
   * older than the results it has.
   */
  | { type: "result"; id: number; value: unknown; channel?: ChannelReport }
  | { type: "failed"; id: number; error: SerializedError; channel?: ChannelReport }
  /** The channel report changed (sent at most every CHANNEL_REPORT_INTERVAL_MS). */
  | { type: "channel"; report: ChannelReport }
  | { type: "console"; bytes: Uint8Array }
  | { type: "host-call"; id: number; service: string; body: unknown };

/** The least time between two channel-report messages while the guest floods the channel. */
export const CHANNEL_REPORT_INTERVAL_MS = 100;

export function serializeError(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, code: e instanceof VmError ? e.code : undefined, message: e.message };
}

/** Rebuilds a VM error on the page's side, so `instanceof VmError` holds there too. */
export function deserializeError({ name, code, message }: SerializedError): Error {
  let error: Error;
  switch (code) {
    case "boot-failed":
      error = new VmBootError(message);
      break;
    case "agent-restarted":
      error = new VmAgentRestartedError();
      break;
    case "reset":
      error = new VmResetError();
      break;
    case "destroyed":
      error = new VmDestroyedError();
      break;
    case "unresponsive":
      error = new VmUnresponsiveError("", 0);
      break;
    case "guest-op-failed":
      error = new GuestOpError("", "");
      break;
    case "protocol":
      error = new VmProtocolError("");
      break;
    case "asset-missing":
      error = new VmAssetError("", "");
      break;
    default:
      error = new Error(message);
      error.name = name;
      return error;
  }
  error.message = message;
  return error;
}
