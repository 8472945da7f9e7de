// Unit tests of per-task states: setup once and save, restore after; keys follow what setup depends on.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { TaskBundle } from "../domain/task";
import { makeTask as makeTaskBundle } from "../domain/task-builders";
import { execResult } from "../vm/fake-vm";
import { quietChannelReport, type HostCallHandler, type Vm } from "../vm/vm";
import { cloudStateOf, taskCloud } from "./cloud";
import type { ReadyProgress } from "../domain/grade-progress";
import { MemoryTaskStateCache, readyTask, taskStateKey } from "./task-state";
import { TaskStoppedError } from "./setup-stop";

const MACHINE = { imageId: "image0123", v86Version: "0.5.462" };
const SHOP_CLOUD_JSON = readFileSync(
  new URL("../../tasks/cloud/shop-lb-503/cloud.json", import.meta.url),
  "utf8",
);

const makeTask = (overrides: Partial<TaskBundle> = {}) =>
  makeTaskBundle({ files: { "/etc/motd": new TextEncoder().encode("hello\n") }, ...overrides });

/** A VM whose machine state is the list of things done to it since its base state. */
function makeVm(
  options: { failRestore?: boolean } = {},
): Vm & { log: string[]; hostCalls: Map<string, HostCallHandler> } {
  let done: string[] = [];
  const hostCalls = new Map<string, HostCallHandler>();
  const log: string[] = [];
  return {
    log,
    exec: async (command) => {
      done.push(`exec ${command}`);
      log.push("exec");
      return execResult();
    },
    writeFile: async (path) => {
      done.push(`write ${path}`);
      log.push(`write ${path}`);
    },
    readFile: async () => new Uint8Array(),
    killSession: async () => ({ remaining: 0 }),
    syncFiles: async () => undefined,
    channelReport: quietChannelReport,
    checkFiles: async () => [],
    saveState: async () => {
      log.push("save");
      return new TextEncoder().encode(JSON.stringify(done)).buffer as ArrayBuffer;
    },
    restoreState: async (state) => {
      log.push("restore");
      if (options.failRestore) throw new Error("bad state");
      done = JSON.parse(new TextDecoder().decode(state)) as string[];
    },
    reset: async () => {
      log.push("reset");
      done = [];
    },
    destroy: async () => undefined,
    handleHostCalls: (service, handler) => {
      hostCalls.set(service, handler);
      return () => hostCalls.get(service) === handler && hostCalls.delete(service);
    },
    hostCalls,
    console: { onData: () => () => undefined, write: () => undefined },
  };
}

describe("readyTask", () => {
  it("sets up and saves the first time, then restores the saved state", async () => {
    const cache = new MemoryTaskStateCache();
    const task = makeTask();
    const vm = makeVm();

    const first = await readyTask(vm, task, { cache, ...MACHINE });
    expect(first.source).toBe("setup");
    expect(vm.log).toEqual([
      "reset",
      "exec", // the guest clock (TASK_CLOCK_START)
      "write /etc/motd",
      "write /run/opslab-task/setup.sh",
      "exec",
      "exec",
      "save",
    ]);
    expect(cache.size).toBe(1);
    expect(first.stateBytes).toBeGreaterThan(0);

    vm.log.length = 0;
    const second = await readyTask(vm, task, { cache, ...MACHINE });
    expect(second).toMatchObject({ source: "cache", key: first.key, stateBytes: first.stateBytes });
    expect(vm.log).toEqual(["restore"]);
    expect(await vm.saveState()).toEqual(await cache.get(first.key));
  });

  it("tells each stage as it starts: setup, then a restore from the cache or from the site", async () => {
    const cache = new MemoryTaskStateCache();
    const task = makeTask();
    const stages = (seen: ReadyProgress[]) =>
      seen.map((p) => [p.stage, p.from, p.loadedBytes].filter((x) => x !== undefined).join(" "));
    const first: ReadyProgress[] = [];
    await readyTask(makeVm(), task, { cache, ...MACHINE, onProgress: (p) => first.push(p) });
    expect(stages(first)).toEqual(["resetting", "fixtures", "setup", "saving"]);
    const second: ReadyProgress[] = [];
    await readyTask(makeVm(), task, { cache, ...MACHINE, onProgress: (p) => second.push(p) });
    expect(stages(second)).toEqual(["restoring cache"]);

    const state = (await cache.get(await taskStateKey(task, MACHINE)))!;
    const shipped = {
      get: async (_key: string, progress?: (loaded: number, total: number) => void) => {
        progress?.(50, 100);
        progress?.(100, 100);
        return { state, downloadedBytes: 100 };
      },
    };
    const third: ReadyProgress[] = [];
    await readyTask(makeVm(), task, {
      cache: new MemoryTaskStateCache(),
      ...MACHINE,
      shipped,
      onProgress: (p) => third.push(p),
    });
    expect(stages(third)).toEqual(["downloading 50", "downloading 100", "restoring shipped"]);

    // npm run dev: the dev server builds the state first, and says how many tasks go before it.
    const built = {
      get: async (
        _key: string,
        progress?: (loaded: number, total: number) => void,
        options?: { onBuilding?: ((status: { ahead: number }) => void) | undefined },
      ) => {
        options?.onBuilding?.({ ahead: 1 });
        options?.onBuilding?.({ ahead: 0 });
        progress?.(100, 100);
        return { state, downloadedBytes: 100 };
      },
    };
    const fourth: ReadyProgress[] = [];
    await readyTask(makeVm(), task, {
      cache: new MemoryTaskStateCache(),
      ...MACHINE,
      shipped: built,
      onProgress: (p) => fourth.push(p),
    });
    expect(fourth.slice(0, 2)).toEqual([
      { stage: "building", ahead: 1 },
      { stage: "building", ahead: 0 },
    ]);
    expect(stages(fourth).slice(2)).toEqual(["downloading 100", "restoring shipped"]);
  });

  it("stops waiting for a dev server's build when the run is stopped", async () => {
    const controller = new AbortController();
    let signalled: AbortSignal | undefined;
    const building = {
      get: (_key: string, _p?: unknown, options?: { signal?: AbortSignal | undefined }) => {
        signalled = options?.signal;
        return new Promise<undefined>((_resolve, reject) =>
          options?.signal?.addEventListener("abort", () => reject(options.signal?.reason)),
        );
      },
    };
    const vm = makeVm();
    const ready = readyTask(vm, makeTask(), {
      cache: new MemoryTaskStateCache(),
      ...MACHINE,
      shipped: building,
      signal: controller.signal,
    });
    // NOTE: readyTask hashes the task first (crypto.subtle, asynchronous): wait until it asks.
    await vi.waitFor(() => expect(signalled).toBe(controller.signal));
    controller.abort();
    await expect(ready).rejects.toThrow(TaskStoppedError);
    expect(vm.log).toEqual([]);
  });

  it("restores a cloud task's machine beside a control plane started afresh from cloud.json", async () => {
    const cache = new MemoryTaskStateCache();
    const task = makeTask({ cloudJson: SHOP_CLOUD_JSON });
    const vm = makeVm();
    const first = await readyTask(vm, task, { cache, ...MACHINE });
    expect(first.source).toBe("setup");
    const firstCloud = taskCloud(vm);

    vm.log.length = 0;
    const second = await readyTask(vm, task, { cache, ...MACHINE });
    expect(second.source).toBe("cache");
    expect(vm.log[0]).toBe("restore");
    // The machine keeps the credentials setup left (setup.sh may have added a profile to them).
    expect(vm.log).not.toContain("write /root/.cloud/credentials");
    expect(taskCloud(vm)).toBeDefined();
    expect(taskCloud(vm)).not.toBe(firstCloud);
    expect(vm.hostCalls.has("cloud")).toBe(true);
  });

  it("detaches an earlier cloud task's control plane when a task is restored from its state", async () => {
    const cache = new MemoryTaskStateCache();
    const sysadmin = makeTask();
    const vm = makeVm();
    await readyTask(vm, sysadmin, { cache, ...MACHINE });
    await readyTask(vm, makeTask({ cloudJson: SHOP_CLOUD_JSON }), { cache, ...MACHINE });
    expect(taskCloud(vm)).toBeDefined();

    const restored = await readyTask(vm, sysadmin, { cache, ...MACHINE });
    expect(restored.source).toBe("cache");
    expect(taskCloud(vm)).toBeUndefined();
    expect(cloudStateOf(vm)).toBeUndefined();
    expect(vm.hostCalls.has("cloud")).toBe(false);
  });

  it("restores a task with no saved state here from the state the site ships, and keeps it", async () => {
    const cache = new MemoryTaskStateCache();
    const task = makeTask();
    const vm = makeVm();
    const made = await readyTask(makeVm(), task, { cache: new MemoryTaskStateCache(), ...MACHINE });
    const state = new TextEncoder().encode(JSON.stringify(["write /etc/motd"]))
      .buffer as ArrayBuffer;
    const asked: string[] = [];
    const shipped = {
      get: async (key: string) => (asked.push(key), { state, downloadedBytes: 123 }),
    };

    const ready = await readyTask(vm, task, { cache, ...MACHINE, shipped });
    expect(ready).toMatchObject({ source: "shipped", key: made.key, downloadedBytes: 123 });
    expect(asked).toEqual([made.key]);
    expect(vm.log).toEqual(["restore"]);
    expect(await cache.get(made.key)).toBe(state);
    // The next time it comes from the page's own cache, not the site.
    expect((await readyTask(vm, task, { cache, ...MACHINE, shipped })).source).toBe("cache");
    expect(asked).toHaveLength(1);
  });

  it("sets up afresh, and says why, when the shipped state is corrupt or absent", async () => {
    const task = makeTask();
    const corrupt = {
      get: async () => Promise.reject(new Error("the shipped task state is corrupt")),
    };
    const ready = await readyTask(makeVm(), task, {
      cache: new MemoryTaskStateCache(),
      ...MACHINE,
      shipped: corrupt,
    });
    expect(ready.source).toBe("setup");
    expect(ready.cacheError).toContain("corrupt");

    const none = { get: async () => undefined };
    const vm = makeVm();
    const fresh = await readyTask(vm, task, {
      cache: new MemoryTaskStateCache(),
      ...MACHINE,
      shipped: none,
    });
    expect(fresh.source).toBe("setup");
    expect(fresh.cacheError).toBeUndefined();
    expect(vm.log[0]).toBe("reset");
  });

  it("sets up afresh, and replaces the entry, when the cached state does not restore", async () => {
    const cache = new MemoryTaskStateCache();
    const task = makeTask();
    const key = await taskStateKey(task, MACHINE);
    await cache.put(key, new ArrayBuffer(3));

    const ready = await readyTask(makeVm({ failRestore: true }), task, { cache, ...MACHINE });
    expect(ready.source).toBe("setup");
    expect(ready.cacheError).toContain("bad state");
    expect((await cache.get(key))?.byteLength).toBe(ready.stateBytes);
  });
  it("still readies the task, and says why, when the cache cannot keep the state", async () => {
    const cache = new MemoryTaskStateCache();
    cache.put = () => Promise.reject(new Error("QuotaExceededError"));
    const ready = await readyTask(makeVm(), makeTask(), { cache, ...MACHINE });
    expect(ready.source).toBe("setup");
    expect(ready.cacheError).toMatch(/could not be kept \(QuotaExceededError\)/);
  });
});

describe("taskStateKey", () => {
  it("changes with setup.sh, the fixtures, the image and the emulator, not with the grader", async () => {
    const base = await taskStateKey(makeTask(), MACHINE);
    expect(base).toMatch(/^demo-task-[0-9a-f]{32}-image0123-v86-0\.5\.462$/);
    const others = [
      await taskStateKey(makeTask({ setupScript: "touch /broken2\n" }), MACHINE),
      await taskStateKey(makeTask({ files: { "/etc/motd": new Uint8Array([1]) } }), MACHINE),
      await taskStateKey(makeTask({ files: { "/etc/motd2": new Uint8Array() } }), MACHINE),
      await taskStateKey(makeTask(), { ...MACHINE, imageId: "image4567" }),
      await taskStateKey(makeTask(), { ...MACHINE, v86Version: "0.5.463" }),
    ];
    for (const other of others) expect(other).not.toBe(base);
    expect(new Set(others).size).toBe(others.length);
    const sameSetup = makeTask({ checkScript: "echo FAIL: x\n", solutionScript: "true\n" });
    expect(await taskStateKey(sameSetup, MACHINE)).toBe(base);
  });

  it("changes with the task's network (its hosts, so the files and boot code they are built with)", async () => {
    const host = {
      name: "web",
      forwarding: false,
      interfaces: [{ name: "eth0", segment: "lan", address: "10.0.1.10/24" }],
      routes: [],
      nameservers: [],
      search: [],
      services: [],
    };
    const withNetwork = (address: string) =>
      makeTask({
        meta: {
          ...makeTask().meta,
          network: { hosts: [{ ...host, interfaces: [{ ...host.interfaces[0]!, address }] }] },
        },
      });
    const base = await taskStateKey(makeTask(), MACHINE);
    const a = await taskStateKey(withNetwork("10.0.1.10/24"), MACHINE);
    const b = await taskStateKey(withNetwork("10.0.1.10/16"), MACHINE);
    expect(new Set([base, a, b]).size).toBe(3);
  });

  it("does not mistake bytes moved between a fixture's path and its content", async () => {
    const a = makeTask({ files: { "/a": new TextEncoder().encode("bc") } });
    const b = makeTask({ files: { "/ab": new TextEncoder().encode("c") } });
    expect(await taskStateKey(a, MACHINE)).not.toBe(await taskStateKey(b, MACHINE));
  });
});
