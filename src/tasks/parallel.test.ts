// Unit tests of running items on workers: results in input order, no more workers than asked, cleanup.
import { describe, expect, it } from "vitest";
import { mapOnWorkers } from "./parallel";

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("mapOnWorkers", () => {
  it("runs at most N items at once, each worker on its own resource, results in input order", async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const stopped: number[] = [];
    const results = await mapOnWorkers(
      [30, 5, 20, 1, 10],
      2,
      async () => started.push(started.length) - 1,
      async (ms, worker) => {
        running++;
        peak = Math.max(peak, running);
        await tick(ms);
        running--;
        return `${ms}@${worker}`;
      },
      async (worker) => void stopped.push(worker),
    );
    expect(results.map((r) => r.split("@")[0])).toEqual(["30", "5", "20", "1", "10"]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1]);
    expect(stopped.sort()).toEqual([0, 1]);
  });

  it("starts no more workers than items, and stops a worker whose item throws", async () => {
    const stopped: string[] = [];
    await expect(
      mapOnWorkers(
        ["boom"],
        4,
        async () => "vm",
        async () => {
          throw new Error("boom");
        },
        async (vm) => void stopped.push(vm),
      ),
    ).rejects.toThrow("boom");
    expect(stopped).toEqual(["vm"]);
    await expect(
      mapOnWorkers(
        [1],
        0,
        async () => 0,
        async () => 0,
        async () => undefined,
      ),
    ).rejects.toThrow(/whole number/);
  });
});
