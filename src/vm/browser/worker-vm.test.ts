// Unit tests of the page's side of the VM worker: an exec's abort crosses as a message, the channel report follows.
import { afterEach, describe, expect, it, vi } from "vitest";
import { execResult } from "../fake-vm";
import { quietChannelReport, type ChannelReport } from "../vm";
import type { FromWorker, ToWorker } from "./worker-protocol";
import { WorkerVm } from "./worker-vm";

/** Stands in for the worker: it records what the page posts, and the test answers. */
class FakeWorker {
  static last: FakeWorker | undefined;
  readonly received: ToWorker[] = [];
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;

  constructor() {
    FakeWorker.last = this;
  }

  postMessage(message: ToWorker): void {
    this.received.push(message);
    if (message.type === "start") queueMicrotask(() => this.reply({ type: "started" }));
  }

  reply(message: FromWorker): void {
    this.onmessage?.({ data: message } as MessageEvent<FromWorker>);
  }

  calls(): Extract<ToWorker, { type: "call" }>[] {
    return this.received.filter((m): m is Extract<ToWorker, { type: "call" }> => m.type === "call");
  }

  terminate(): void {}
}

async function startVm(): Promise<{ vm: WorkerVm; worker: FakeWorker }> {
  vi.stubGlobal("Worker", FakeWorker);
  const vm = await WorkerVm.start({ vmUrl: new URL("http://localhost/vm/") });
  return { vm, worker: FakeWorker.last! };
}

const forged: ChannelReport = {
  trusted: false,
  alarms: [{ atMs: 5, kind: "forged-frame", detail: "a frame without a MAC" }],
  counts: { ...quietChannelReport().counts, "forged-frame": 1 },
};

afterEach(() => vi.unstubAllGlobals());

describe("WorkerVm", () => {
  it("sends an exec's abort to the worker as a cancel of that call, not the signal itself", async () => {
    const { vm, worker } = await startVm();
    const controller = new AbortController();
    const result = vm.exec("sleep 100", { session: "agent", signal: controller.signal });
    const [call] = worker.calls();
    expect(call).toMatchObject({ method: "exec", args: ["sleep 100", { session: "agent" }] });
    expect(JSON.stringify(call?.args)).not.toContain("signal");
    controller.abort();
    expect(worker.received.at(-1)).toEqual({ type: "cancel", id: call?.id });
    const cancelled = execResult({ exitCode: 130, cancelled: true });
    worker.reply({ type: "result", id: call!.id, value: cancelled });
    await expect(result).resolves.toMatchObject({ cancelled: true, exitCode: 130 });
    controller.abort(); // nothing more is sent once the call is over
    expect(worker.received.filter((m) => m.type === "cancel")).toHaveLength(1);
  });

  it("cancels at once an exec whose signal was aborted already", async () => {
    const { vm, worker } = await startVm();
    void vm.exec("true", { signal: AbortSignal.abort() });
    expect(worker.received.slice(-2).map((m) => m.type)).toEqual(["call", "cancel"]);
  });

  it("keeps the worker's channel report: pushed after alarms, and with each result", async () => {
    const { vm, worker } = await startVm();
    expect(vm.channelReport()).toEqual(quietChannelReport());
    worker.reply({ type: "channel", report: forged });
    expect(vm.channelReport()).toEqual(forged);
    const reset = vm.reset();
    worker.reply({
      type: "result",
      id: worker.calls().at(-1)!.id,
      value: undefined,
      channel: quietChannelReport(),
    });
    await reset;
    expect(vm.channelReport().trusted).toBe(true);
  });

  it("passes killSession and syncFiles to the worker", async () => {
    const { vm, worker } = await startVm();
    const killed = vm.killSession("agent");
    const synced = vm.syncFiles();
    const [kill, sync] = worker.calls();
    expect(kill).toMatchObject({ method: "killSession", args: ["agent"] });
    expect(sync).toMatchObject({ method: "syncFiles", args: [] });
    worker.reply({ type: "result", id: kill!.id, value: { remaining: 0 } });
    worker.reply({ type: "result", id: sync!.id, value: undefined });
    await expect(killed).resolves.toEqual({ remaining: 0 });
    await expect(synced).resolves.toBeUndefined();
  });
});
