// Messages between the page and the VM worker, and how VM errors cross the boundary typed.
import type { BootProgress } from "./browser-vm";
import type { WarmUpProgress } from "./warm-up";
import {
  GuestOpError,
  VmAgentRestartedError,
  VmAssetError,
  VmBootError,
  VmDestroyedError,
  VmError,
  VmResetError,
  VmUnresponsiveError,
} from "./errors";

export type VmMethod =
  | "exec"
  | "writeFile"
  | "readFile"
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
    }
  | { type: "call"; id: number; method: VmMethod; args: unknown[] }
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
  | { type: "result"; id: number; value: unknown }
  | { type: "failed"; id: number; error: SerializedError }
  | { type: "console"; bytes: Uint8Array }
  | { type: "host-call"; id: number; service: string; body: unknown };

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
