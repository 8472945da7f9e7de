// Unit tests of rebuilding a shipped state: unpatching and its errors, and the page's worker client over a fake worker.
import { describe, expect, it } from "vitest";
import { rebuildState, StateRebuildError } from "./rebuild";
import { StateRebuilder, type RebuildWorkerPort } from "./rebuild-client";
import type { FromRebuildWorker, ToRebuildWorker } from "./rebuild-protocol";

const base = Uint8Array.from([1, 2, 3, 4]);
const task = Uint8Array.from([5, 6, 7, 8, 9]);
const patch = Uint8Array.from([0xfe, 0xed]);

describe("rebuildState", () => {
  it("unpacks the patch against the base", async () => {
    const seen: Uint8Array[][] = [];
    const unpatch = async (packed: Uint8Array, against: Uint8Array) => (
      seen.push([packed, against]),
      task
    );
    expect(await rebuildState(base, patch, unpatch)).toEqual(task);
    expect(seen).toEqual([[patch, base]]);
  });

  it("gives a patch that does not unpack as StateRebuildError, with zstd's reason", async () => {
    const failed = rebuildState(base, patch, () => Promise.reject(new Error("checksum wrong")));
    await expect(failed).rejects.toBeInstanceOf(StateRebuildError);
    await expect(failed).rejects.toThrow("checksum wrong");
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
    expect(await rebuilder.rebuild(patch)).toEqual(task);
    expect(started).toBe(1);
    expect(worker.received).toMatchObject([
      { type: "base", vmUrl: vmUrl.href, imageManifest: "image.json" },
      { type: "rebuild", vmUrl: vmUrl.href, imageManifest: "image.json", packed: patch },
    ]);
  });

  it("gives a patch's failure as StateRebuildError, any other as a plain error", async () => {
    const worker = new FakeWorker((m) =>
      m.type === "rebuild"
        ? { type: "failed", id: m.id, message: "bad frame", patch: true }
        : { type: "failed", id: m.id, message: "vm/state.json: HTTP 404" },
    );
    const rebuilder = new StateRebuilder(vmUrl, "image.json", () => worker);
    await expect(rebuilder.rebuild(patch)).rejects.toMatchObject({
      name: "StateRebuildError",
      message: "bad frame",
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
