// Unit tests of rebuilding a shipped state: the steps and their errors, and the page's worker client over a fake worker.
import { describe, expect, it } from "vitest";
import { rebuildState, StateRebuildError } from "./rebuild";
import { StateRebuilder, type RebuildWorkerPort } from "./rebuild-client";
import type { FromRebuildWorker, ToRebuildWorker } from "./rebuild-protocol";
import { encodeStateDelta } from "./state-delta";
import { makeV86State, pages } from "./v86-state-fixture";

const base = makeV86State({ cpu: 1 }, [pages(1, 8)]);
const task = makeV86State({ cpu: 2 }, [pages(1, 8), pages(9, 1)]);
const delta = encodeStateDelta(base, task);
const asIs = async (bytes: Uint8Array) => bytes;

describe("rebuildState", () => {
  it("applies the unpacked delta to the base", async () => {
    expect(await rebuildState(base, delta, asIs)).toEqual(task);
  });

  it("names the step that failed: unpacking, or applying", async () => {
    const unpack = rebuildState(base, delta, () => Promise.reject(new Error("bad frame")));
    await expect(unpack).rejects.toMatchObject({ stage: "unpack", message: "bad frame" });
    const apply = rebuildState(base, delta.subarray(0, 20), asIs);
    await expect(apply).rejects.toBeInstanceOf(StateRebuildError);
    await expect(apply).rejects.toMatchObject({ stage: "apply" });
  });
});

/** A worker that answers as rebuild.worker.ts does, from `answer`; `fail()` makes it fail as a worker can. */
class FakeWorker implements RebuildWorkerPort {
  onmessage: ((event: MessageEvent<FromRebuildWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly received: ToRebuildWorker[] = [];
  terminated = false;
  constructor(private readonly answer?: (m: ToRebuildWorker) => FromRebuildWorker) {}
  postMessage(message: ToRebuildWorker): void {
    this.received.push(message);
    const reply = this.answer?.(message);
    if (reply) queueMicrotask(() => this.onmessage?.({ data: reply } as MessageEvent));
  }
  fail(message: string): void {
    this.onerror?.({ message } as ErrorEvent);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe("StateRebuilder", () => {
  const vmUrl = new URL("https://opslab.test/vm/");

  it("asks its worker for the base and for each rebuild, and tells where the VM files are", async () => {
    const worker = new FakeWorker((m) =>
      m.type === "base"
        ? { type: "base", id: m.id, file: "state-0123456789abcdef.zst" }
        : { type: "rebuilt", id: m.id, state: task },
    );
    let started = 0;
    const rebuilder = new StateRebuilder(vmUrl, "image.json", () => (started++, worker));
    expect(await rebuilder.baseFile()).toBe("state-0123456789abcdef.zst");
    expect(await rebuilder.rebuild(delta)).toEqual(task);
    expect(started).toBe(1);
    expect(worker.received).toMatchObject([
      { type: "base", vmUrl: vmUrl.href, imageManifest: "image.json" },
      { type: "rebuild", vmUrl: vmUrl.href, imageManifest: "image.json", packed: delta },
    ]);
  });

  it("gives a delta's failure as StateRebuildError with its step, any other as a plain error", async () => {
    const worker = new FakeWorker((m) =>
      m.type === "rebuild"
        ? { type: "failed", id: m.id, message: "bad frame", stage: "unpack" }
        : { type: "failed", id: m.id, message: "vm/state.json: HTTP 404" },
    );
    const rebuilder = new StateRebuilder(vmUrl, "image.json", () => worker);
    await expect(rebuilder.rebuild(delta)).rejects.toMatchObject({
      name: "StateRebuildError",
      stage: "unpack",
    });
    const base = rebuilder.baseFile();
    await expect(base).rejects.toThrow("vm/state.json: HTTP 404");
    await expect(base).rejects.not.toBeInstanceOf(StateRebuildError);
  });

  it("fails what waited on a worker that failed, and starts a new one for the next call", async () => {
    const broken = new FakeWorker();
    const working = new FakeWorker((m) => ({ type: "base", id: m.id, file: "state-x.zst" }));
    const workers = [broken, working];
    const rebuilder = new StateRebuilder(vmUrl, "image.json", () => workers.shift()!);
    const waiting = rebuilder.baseFile();
    broken.fail("SyntaxError in rebuild.worker.ts");
    await expect(waiting).rejects.toThrow(
      "the state-rebuild worker failed: SyntaxError in rebuild.worker.ts",
    );
    expect(broken.terminated).toBe(true);
    expect(await rebuilder.baseFile()).toBe("state-x.zst");
  });
});
