// Unit tests of npm run dev's task states: a cached state served, a missing one readied on demand one at a time, failures said, stale pages refused.
import { describe, expect, it } from "vitest";
import type { TaskBundle } from "../../domain/task";
import { SHIPPED_MANIFEST_VERSION, type ShippedStateEntry } from "../../tasks/shipped-states";
import { DevTaskStates, UNASKED_DROP_MS, type DevReply, type DevTaskStatePorts } from "./service";

const BASE = "state-0123456789abcdef.zst";
const SETUP_A = "a".repeat(32);
const SETUP_B = "b".repeat(32);
const keyOf = (id: string, setup = SETUP_A) => `${id}-${setup}-7c036b7920a74abf-v86-0.5.462`;

function makeTask(id: string): TaskBundle {
  return { meta: { id } } as TaskBundle;
}

function entryFor(key: string): ShippedStateEntry {
  const hex = (key.length.toString(16) + "0".repeat(64)).slice(0, 64);
  return {
    file: `${hex.slice(0, 16)}.zst`,
    bytes: 100,
    sha256: hex,
    stateBytes: 1000,
    stateSha256: hex,
  };
}

/** A deferred: the fake VM's setup ends when the test says. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Fake ports: tasks on "disk" by id with their current key, a cache of keys, a VM that readies on cue. */
function makePorts(overrides: Partial<DevTaskStatePorts> = {}) {
  const disk = new Map<string, string>([
    ["web-down", keyOf("web-down")],
    ["dns-broken", keyOf("dns-broken")],
    ["disk-full", keyOf("disk-full")],
  ]);
  const cached = new Set<string>();
  const readied: string[] = [];
  const packed: string[] = [];
  const setups = new Map<string, ReturnType<typeof deferred>>();
  const lines: string[] = [];
  let clock = 0;
  const ports: DevTaskStatePorts = {
    baseFile: async () => BASE,
    loadTask: async (id) => {
      const key = disk.get(id);
      return key ? { task: makeTask(id), key } : undefined;
    },
    has: async (key) => cached.has(key),
    ready: async (_task, key) => {
      readied.push(key);
      const setup = deferred();
      setups.set(key, setup);
      await setup.promise;
      cached.add(key);
    },
    pack: async (key) => {
      packed.push(key);
      return { entry: entryFor(key), path: `/patches/${key}` };
    },
    now: () => clock,
    log: (line) => lines.push(line),
    ...overrides,
  };
  return {
    ports,
    disk,
    cached,
    readied,
    packed,
    setups,
    lines,
    tick: (ms: number) => (clock += ms),
  };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const ANSWER_MS = 5;

function manifestStates(reply: DevReply): string[] {
  expect(reply.status).toBe(200);
  return Object.keys((reply as { json: { states: object } }).json.states);
}

describe("DevTaskStates", () => {
  it("serves a cached state at once, packed as the build ships it, without a VM", async () => {
    const fake = makePorts();
    fake.cached.add(keyOf("web-down"));
    const service = new DevTaskStates(fake.ports, ANSWER_MS);
    const reply = await service.handle(`manifest.json?key=${keyOf("web-down")}`);
    expect(reply).toEqual({
      status: 200,
      json: {
        version: SHIPPED_MANIFEST_VERSION,
        base: BASE,
        states: { [keyOf("web-down")]: entryFor(keyOf("web-down")) },
      },
    });
    expect(fake.readied).toEqual([]);
    const file = entryFor(keyOf("web-down")).file;
    expect(await service.handle(file)).toEqual({
      status: 200,
      file: `/patches/${keyOf("web-down")}`,
      bytes: 100,
    });
    // Asked again, nothing is packed again.
    await service.handle(`manifest.json?key=${keyOf("web-down")}`);
    expect(fake.packed).toEqual([keyOf("web-down")]);
  });

  it("readies a missing state in Node, says it builds meanwhile, then serves it", async () => {
    const fake = makePorts();
    const service = new DevTaskStates(fake.ports, ANSWER_MS);
    const key = keyOf("web-down");
    expect(await service.handle(`manifest.json?key=${key}`)).toEqual({
      status: 202,
      json: { building: { task: "web-down", ahead: 0 } },
    });
    expect(fake.readied).toEqual([key]);
    fake.setups.get(key)!.resolve();
    expect(manifestStates(await service.handle(`manifest.json?key=${key}`))).toEqual([key]);
    expect(fake.cached.has(key)).toBe(true);
    // The manifest without a key lists what is made so far.
    expect(manifestStates(await service.handle("manifest.json"))).toEqual([key]);
  });

  it("readies one task at a time, in the order asked, and says how many go before", async () => {
    const fake = makePorts();
    const service = new DevTaskStates(fake.ports, ANSWER_MS);
    const [a, b, c] = [keyOf("web-down"), keyOf("dns-broken"), keyOf("disk-full")];
    await service.handle(`manifest.json?key=${a}`);
    await service.handle(`manifest.json?key=${b}`);
    expect(await service.handle(`manifest.json?key=${c}`)).toEqual({
      status: 202,
      json: { building: { task: "disk-full", ahead: 2 } },
    });
    // Asked twice, a task is readied once.
    await service.handle(`manifest.json?key=${b}`);
    expect(fake.readied).toEqual([a]);
    expect(service.pending).toEqual([a, b, c]);
    fake.setups.get(a)!.resolve();
    await settle();
    expect(fake.readied).toEqual([a, b]);
    expect(await service.handle(`manifest.json?key=${c}`)).toMatchObject({
      json: { building: { ahead: 1 } },
    });
    fake.setups.get(b)!.resolve();
    await settle();
    fake.setups.get(c)!.resolve();
    await settle();
    expect(fake.readied).toEqual([a, b, c]);
    expect(service.pending).toEqual([]);
  });

  it("drops a queued task nobody has asked about for a while (the person picked another)", async () => {
    const fake = makePorts();
    const service = new DevTaskStates(fake.ports, ANSWER_MS);
    const [a, b, c] = [keyOf("web-down"), keyOf("dns-broken"), keyOf("disk-full")];
    await service.handle(`manifest.json?key=${a}`);
    await service.handle(`manifest.json?key=${b}`);
    fake.tick(UNASKED_DROP_MS);
    await service.handle(`manifest.json?key=${c}`); // still asked for
    fake.tick(1);
    fake.setups.get(a)!.resolve();
    await settle();
    expect(fake.readied).toEqual([a, c]);
    expect(fake.lines.join("\n")).toMatch(/dns-broken: dropped/);
    // Asked for again later, it is queued afresh.
    await service.handle(`manifest.json?key=${b}`);
    expect(service.pending).toEqual([c, b]);
  });

  it("says why a task could not be readied, at once when asked again, and goes on with the next", async () => {
    const fake = makePorts();
    const service = new DevTaskStates(fake.ports, ANSWER_MS);
    const [a, b] = [keyOf("web-down"), keyOf("dns-broken")];
    await service.handle(`manifest.json?key=${a}`);
    await service.handle(`manifest.json?key=${b}`);
    fake.setups.get(a)!.reject(new Error("setup.sh exited 1\nline 3: nginx: not found"));
    await settle();
    const failed = await service.handle(`manifest.json?key=${a}`);
    expect(failed).toEqual({
      status: 500,
      json: {
        error: "could not ready web-down in Node: setup.sh exited 1 line 3: nginx: not found",
      },
    });
    // The terminal has the whole reason.
    expect(fake.lines.join("\n")).toMatch(/web-down: could not be readied[^]*nginx: not found/);
    expect(fake.readied).toEqual([a, b]);
    expect(fake.readied.filter((k) => k === a)).toHaveLength(1);
    // The task edited (a new key), it is readied again.
    fake.disk.set("web-down", keyOf("web-down", SETUP_B));
    expect((await service.handle(`manifest.json?key=${keyOf("web-down", SETUP_B)}`)).status).toBe(
      202,
    );
  });

  it("refuses a key no task has, and one whose task changed on disk since the page loaded it", async () => {
    const fake = makePorts();
    const service = new DevTaskStates(fake.ports, ANSWER_MS);
    expect(await service.handle(`manifest.json?key=${keyOf("no-such-task")}`)).toMatchObject({
      status: 404,
    });
    expect(await service.handle("manifest.json?key=not-a-key")).toMatchObject({ status: 404 });
    const reply = await service.handle(`manifest.json?key=${keyOf("web-down", SETUP_B)}`);
    expect(reply).toMatchObject({ status: 409 });
    expect(JSON.stringify(reply)).toMatch(/reload the page/);
    expect(fake.readied).toEqual([]);
  });

  it("serves only the files it made, and says when there is no base state", async () => {
    const service = new DevTaskStates(
      makePorts({
        baseFile: () => Promise.reject(new Error("run npm run vm:snapshot first")),
      }).ports,
      ANSWER_MS,
    );
    expect(await service.handle("0123456789abcdef.zst")).toMatchObject({ status: 404 });
    expect(await service.handle("../../etc/passwd")).toMatchObject({ status: 404 });
    expect(await service.handle("manifest.json")).toEqual({
      status: 500,
      json: { error: "no base VM state: run npm run vm:snapshot first" },
    });
  });
});
