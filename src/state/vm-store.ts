// The VM's life in the page as a zustand store: boot progress, the running VM's console, errors and retry.
import { createStore, type StoreApi } from "zustand/vanilla";
import type { BootProgress } from "../vm/browser/browser-vm";
import type { Vm } from "../vm/vm";
import type { WarmUpProgress } from "../vm/warm-up/warm-up";

export type VmStatus = BootProgress | { phase: "idle" } | { phase: "error"; message: string };

/** What the terminal needs of the VM, without the VM itself. */
export interface ConsolePort {
  onData(listener: (bytes: Uint8Array) => void): () => void;
  write(data: string): void;
  /** Tells the guest's console its size (a serial line has no window size of its own). */
  resize(rows: number, cols: number): void;
}

export interface VmState {
  status: VmStatus;
  startedAt: number | undefined;
  readyAt: number | undefined;
  console: ConsolePort | undefined;
  vm: Vm | undefined;
  /** The background warm-up since the VM's last (re)start; undefined when there is none. */
  warmUp: WarmUpProgress | undefined;
  /** Boots the VM (or boots it again after an error). */
  start(): Promise<void>;
}

export interface VmServices {
  startVm(
    onProgress: (progress: BootProgress) => void,
    onWarmUp: (progress: WarmUpProgress) => void,
  ): Promise<Vm>;
  now(): number;
}

/** Session the terminal's housekeeping commands run in, apart from the agent's shell. */
const CONSOLE_SESSION = "console";

export function createVmStore(services: VmServices): StoreApi<VmState> {
  return createStore<VmState>()((set, get) => ({
    status: { phase: "idle" },
    startedAt: undefined,
    readyAt: undefined,
    console: undefined,
    vm: undefined,
    warmUp: undefined,
    async start() {
      const phase = get().status.phase;
      if (phase !== "idle" && phase !== "error") return;
      set({
        status: { phase: "manifest" },
        startedAt: services.now(),
        readyAt: undefined,
        warmUp: undefined,
      });
      try {
        const vm = await services.startVm(
          (progress) => set({ status: progress }),
          (warmUp) => set({ warmUp }),
        );
        const port: ConsolePort = {
          onData: (listener) => vm.console.onData(listener),
          write: (data) => vm.console.write(data),
          resize: (rows, cols) => {
            void vm
              .exec(`stty -F /dev/ttyS0 rows ${rows} cols ${cols}`, {
                session: CONSOLE_SESSION,
                timeoutMs: 10_000,
              })
              .catch(() => undefined);
          },
        };
        set({ vm, console: port, status: { phase: "ready" }, readyAt: services.now() });
      } catch (error) {
        set({ status: { phase: "error", message: (error as Error).message } });
      }
    },
  }));
}
