// Unit tests of the VM store: progress, ready, and an error followed by a retry.
import { describe, expect, it } from "vitest";
import { execResult } from "../vm/fake-vm";
import { quietChannelReport, type Vm } from "../vm/vm";
import { createVmStore, type VmServices } from "./vm-store";

function makeVm(): Vm & { execs: string[]; typed: string[] } {
  const execs: string[] = [];
  const typed: string[] = [];
  return {
    execs,
    typed,
    exec: async (command) => {
      execs.push(command);
      return execResult();
    },
    writeFile: async () => undefined,
    readFile: async () => new Uint8Array(),
    killSession: async () => ({ remaining: 0 }),
    syncFiles: async () => undefined,
    channelReport: quietChannelReport,
    handleHostCalls: () => () => undefined,
    saveState: async () => new ArrayBuffer(0),
    restoreState: async () => undefined,
    reset: async () => undefined,
    destroy: async () => undefined,
    console: { onData: () => () => undefined, write: (data) => void typed.push(String(data)) },
  };
}

describe("vm store", () => {
  it("reports download progress, then ready with a console", async () => {
    const vm = makeVm();
    const seen: string[] = [];
    const services: VmServices = {
      now: () => 1000,
      startVm: async (onProgress) => {
        onProgress({ phase: "download", loadedBytes: 5, totalBytes: 10, cold: false });
        seen.push(store.getState().status.phase);
        return vm;
      },
    };
    const store = createVmStore(services);
    await store.getState().start();
    expect(seen).toEqual(["download"]);
    expect(store.getState().status).toEqual({ phase: "ready" });
    store.getState().console?.write("ls\r");
    store.getState().console?.resize(30, 100);
    expect(vm.typed).toEqual(["ls\r"]);
    expect(vm.execs).toEqual(["stty -F /dev/ttyS0 rows 30 cols 100"]);
  });

  it("keeps the warm-up's progress, and forgets it when Linux boots again", async () => {
    let tellWarmUp: (progress: { done: number; total: number }) => void = () => undefined;
    let attempts = 0;
    const store = createVmStore({
      now: () => 0,
      startVm: async (_onProgress, onWarmUp) => {
        attempts++;
        tellWarmUp = onWarmUp;
        if (attempts === 2) throw new Error("HTTP 503");
        return makeVm();
      },
    });
    await store.getState().start();
    tellWarmUp({ done: 3, total: 48 });
    expect(store.getState().warmUp).toEqual({ done: 3, total: 48 });
    store.setState({ status: { phase: "error", message: "lost" } });
    await store.getState().start();
    expect(store.getState().warmUp).toBeUndefined();
  });

  it("shows the error and boots again on retry", async () => {
    let attempts = 0;
    const store = createVmStore({
      now: () => 0,
      startVm: async () => {
        attempts++;
        if (attempts === 1) throw new Error("Could not load vm/state.zst: HTTP 503");
        return makeVm();
      },
    });
    await store.getState().start();
    expect(store.getState().status).toEqual({
      phase: "error",
      message: "Could not load vm/state.zst: HTTP 503",
    });
    await store.getState().start();
    expect(store.getState().status.phase).toBe("ready");
    expect(attempts).toBe(2);
  });
});
