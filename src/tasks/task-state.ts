// Per-task machine states: a task readied from a cached state saved right after fixtures + setup.sh.
import type { ReadyProgress } from "../domain/grade-progress";
import type { TaskBundle } from "../domain/task";
import { V86_VERSION } from "../vm/image";
import type { Vm } from "../vm/vm";
import { startTaskCloud, stopTaskCloud } from "./cloud";
import { WARM_PAGE_CACHE_SCRIPT } from "../vm/state/page-cache";
import { networkSetupScript } from "./network-script";
import { SET_TASK_CLOCK_COMMAND, SETUP_SESSION, setUpTask } from "./runner";
import { stopIfAborted, TaskStoppedError, untilStopped } from "./setup-stop";

/**
 * Where saved task states are kept: a folder in Node, Cache Storage or IndexedDB in the page.
 * NOTE: values are whole machine states as `Vm.saveState()` returns them; a key names one exact
 * task setup on one exact image and emulator, so an entry never needs invalidating, only evicting.
 */
export interface TaskStateCache {
  get(key: string): Promise<ArrayBuffer | undefined>;
  put(key: string, state: ArrayBuffer): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Keeps states in memory: for tests, and for a page that does not persist them. */
export class MemoryTaskStateCache implements TaskStateCache {
  private readonly states = new Map<string, ArrayBuffer>();

  get(key: string): Promise<ArrayBuffer | undefined> {
    return Promise.resolve(this.states.get(key));
  }

  put(key: string, state: ArrayBuffer): Promise<void> {
    this.states.set(key, state);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.states.delete(key);
    return Promise.resolve();
  }

  get size(): number {
    return this.states.size;
  }
}

/** The machine a state belongs to: a state restores only on the image and emulator that saved it. */
export interface MachineId {
  imageId: string;
  v86Version: string;
}

/**
 * Runs in the guest before a task state is saved: written data on disk, clean pages dropped (smaller
 * state) but for the warm pages the base snapshot keeps (see WARM_PAGE_CACHE_SCRIPT).
 */
const BEFORE_SAVE_COMMAND = `sync; ${WARM_PAGE_CACHE_SCRIPT}`;
const BEFORE_SAVE_TIMEOUT_MS = 30_000;

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * SHA-256 over what the state after setup depends on: the task id, setup.sh, the script that builds
 * its network (task.toml's hosts and the boot code), the fixtures (paths and bytes), the guest
 * clock's start and what runs before the state is saved (which pages it keeps). The grader,
 * solution and instruction do not change that state.
 */
export async function taskSetupHash(task: TaskBundle): Promise<string> {
  const network = task.meta.network ? networkSetupScript(task.meta.network) : "";
  const parts: Uint8Array[] = [
    encoder.encode(task.meta.id),
    encoder.encode(task.setupScript),
    encoder.encode(network),
    encoder.encode(BEFORE_SAVE_COMMAND),
    encoder.encode(SET_TASK_CLOCK_COMMAND),
  ];
  for (const path of Object.keys(task.files).sort()) {
    parts.push(encoder.encode(path), task.files[path] ?? new Uint8Array());
  }
  // NOTE: each part is preceded by its length, so that moving bytes between parts changes the hash.
  const total = parts.reduce((sum, part) => sum + 8 + part.byteLength, 0);
  const buffer = new Uint8Array(total);
  const view = new DataView(buffer.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setBigUint64(offset, BigInt(part.byteLength));
    buffer.set(part, offset + 8);
    offset += 8 + part.byteLength;
  }
  return hex(await crypto.subtle.digest("SHA-256", buffer));
}

/** The cache key of a task's state after setup on one machine. */
export async function taskStateKey(task: TaskBundle, machine: MachineId): Promise<string> {
  const setup = (await taskSetupHash(task)).slice(0, 32);
  return `${task.meta.id}-${setup}-${machine.imageId}-v86-${machine.v86Version}`;
}

export interface ReadyTask {
  /**
   * "cache": restored from a saved state; "shipped": from the state the site ships (downloaded);
   * "setup": reset, fixtures and setup.sh run, state saved.
   */
  source: "cache" | "shipped" | "setup";
  key: string;
  /** From the call until the task is ready for the agent. */
  readyMs: number;
  /** Bytes of the state restored or saved. */
  stateBytes: number;
  /** Of `readyMs`, the time spent saving and storing the state (setup only). */
  saveMs?: number;
  /** Bytes downloaded for a shipped state. */
  downloadedBytes?: number;
  /** Why a cached or shipped state was not used although one was found (it failed to restore). */
  cacheError?: string;
}

/**
 * The states the site ships (shipped-states.ts): undefined for a task it ships none for. In npm run
 * dev the dev server builds one on demand, telling `onBuilding` meanwhile; `signal` stops the wait.
 */
export interface ShippedStatePort {
  get(
    key: string,
    onProgress?: (loaded: number, total: number) => void,
    options?: {
      onBuilding?: ((status: { ahead: number }) => void) | undefined;
      signal?: AbortSignal | undefined;
    },
  ): Promise<{ state: ArrayBuffer; downloadedBytes: number } | undefined>;
}

export interface ReadyTaskOptions {
  cache: TaskStateCache;
  imageId: string;
  /** The emulator's version; the one this code is built with unless told. */
  v86Version?: string;
  /**
   * Stops readying the task: the command in flight is cancelled, a reset or restore in flight is
   * let finish, no further step starts, and it rejects with TaskStoppedError (see setUpTask).
   */
  signal?: AbortSignal;
  /** Where a task with no saved state here is looked up before it is set up afresh. */
  shipped?: ShippedStatePort;
  /** Told each stage as it starts (and a shipped state's bytes as they come), for the person waiting. */
  onProgress?: (progress: ReadyProgress) => void;
}

/**
 * Restores a task's saved state and gives it its own cloud control plane (on `cloudClock`: real time
 * unless verification says).
 * NOTE: a cloud task's control plane lives host-side, not in the machine state: it starts afresh
 * from cloud.json (setup only reads it), and an earlier task's control plane goes. The agent's
 * credentials are the machine's own, as setup left them.
 */
export async function restoreTaskState(
  vm: Vm,
  task: TaskBundle,
  state: ArrayBuffer,
  cloudClock?: () => number,
): Promise<void> {
  stopTaskCloud(vm);
  await vm.restoreState(state);
  await startTaskCloud(vm, task, { writeCredentials: false, nowMs: cloudClock });
}

/**
 * Brings the VM to the task's starting point: restores the cached state taken right after
 * fixtures + setup.sh when there is one, else the state the site ships for it, else resets, sets
 * up and saves that state for next time.
 * NOTE: `vm.reset()` still goes back to the VM's base state afterwards, not to the task's.
 */
export async function readyTask(
  vm: Vm,
  task: TaskBundle,
  options: ReadyTaskOptions,
): Promise<ReadyTask> {
  const started = Date.now();
  const { signal, onProgress } = options;
  const key = await taskStateKey(task, {
    imageId: options.imageId,
    v86Version: options.v86Version ?? V86_VERSION,
  });
  let cacheError: string | undefined;
  const cached = await options.cache.get(key);
  stopIfAborted(signal);
  if (cached) {
    try {
      onProgress?.({ stage: "restoring", from: "cache" });
      await restoreTaskState(vm, task, cached);
      return { source: "cache", key, readyMs: Date.now() - started, stateBytes: cached.byteLength };
    } catch (error) {
      cacheError = `the cached state did not restore (${(error as Error).message}); set up afresh`;
      await options.cache.delete(key);
    }
  }
  if (options.shipped) {
    try {
      const shipped = await options.shipped.get(
        key,
        onProgress &&
          ((loadedBytes, totalBytes) =>
            onProgress({ stage: "downloading", loadedBytes, totalBytes })),
        {
          onBuilding: onProgress && (({ ahead }) => onProgress({ stage: "building", ahead })),
          signal,
        },
      );
      stopIfAborted(signal);
      if (shipped) {
        onProgress?.({ stage: "restoring", from: "shipped" });
        await restoreTaskState(vm, task, shipped.state);
        // NOTE: kept like a state set up here, so that a retry restores without downloading again.
        await options.cache.put(key, shipped.state).catch(() => undefined);
        return {
          source: "shipped",
          key,
          readyMs: Date.now() - started,
          stateBytes: shipped.state.byteLength,
          downloadedBytes: shipped.downloadedBytes,
        };
      }
    } catch (error) {
      if (error instanceof TaskStoppedError) throw error;
      cacheError = `${(error as Error).message}`;
    }
  }
  const { state, saveMs } = await setUpAndSaveState(vm, task, signal, onProgress);
  try {
    await options.cache.put(key, state);
  } catch (error) {
    cacheError = `the state after setup could not be kept (${(error as Error).message}); the next try sets up again`;
  }
  return {
    source: "setup",
    key,
    readyMs: Date.now() - started,
    stateBytes: state.byteLength,
    saveMs,
    ...(cacheError ? { cacheError } : {}),
  };
}

/**
 * Resets the VM, sets the task up (fixtures, network, setup.sh) and saves the machine state, as
 * readyTask keeps it and the build ships it (npm run build:task-states).
 */
export async function setUpAndSaveState(
  vm: Vm,
  task: TaskBundle,
  signal?: AbortSignal,
  onProgress?: (progress: ReadyProgress) => void,
): Promise<{ state: ArrayBuffer; saveMs: number }> {
  stopIfAborted(signal);
  onProgress?.({ stage: "resetting" });
  await vm.reset();
  await setUpTask(vm, task, { signal, ...(onProgress && { onProgress }) });
  onProgress?.({ stage: "saving" });
  const saving = Date.now();
  stopIfAborted(signal);
  await untilStopped(
    vm.exec(BEFORE_SAVE_COMMAND, {
      session: SETUP_SESSION,
      timeoutMs: BEFORE_SAVE_TIMEOUT_MS,
      ...(signal && { signal }),
    }),
    signal,
  );
  stopIfAborted(signal);
  const state = await vm.saveState();
  return { state, saveMs: Date.now() - saving };
}
