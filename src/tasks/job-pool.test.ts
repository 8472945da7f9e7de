// Unit tests of the job pool: items spread over workers of their own (processes, threads, this thread),
// each item answered or failed by its index, a worker that dies replaced, one that cannot start, peak
// RSS; and mapOnProcesses' results in order, with a clear failure naming the item.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { FixtureAnswer } from "./job-pool.fixture";
import { mapOnProcesses, runOnPool, WorkerGoneError, type Isolation } from "./job-pool";

const FIXTURE = resolve(import.meta.dirname, "job-pool.fixture.ts");
const TSX = { execArgv: ["--import", "tsx"] };

/** Runs `items` on the fixture; what each index came to. */
async function pool(
  items: (number | string)[],
  {
    isolation = "process",
    workers = 2,
    factor = 3,
  }: Partial<{ isolation: Isolation; workers: number; factor: number }> = {},
) {
  const done = new Map<number, FixtureAnswer>();
  const failed = new Map<number, Error>();
  const report = await runOnPool<{ factor: number }, number | string, FixtureAnswer>(items, {
    module: FIXTURE,
    workers,
    isolation,
    init: { factor },
    ...TSX,
    onDone: (index, result) => void done.set(index, result),
    onFailed: (index, error) => void failed.set(index, error),
  });
  return { done, failed, report };
}

describe("runOnPool", () => {
  it.each<[Isolation, (a: FixtureAnswer) => boolean]>([
    ["process", (a) => a.pid !== process.pid],
    ["thread", (a) => a.pid === process.pid && a.threadId !== 0],
    ["inline", (a) => a.pid === process.pid],
  ])(
    "runs every item on %s workers, a failed one said and the others going on",
    async (isolation, own) => {
      const { done, failed, report } = await pool([1, "fail", 3, 4], { isolation });
      expect([...done.keys()].sort()).toEqual([0, 2, 3]);
      expect(done.get(3)?.answer).toBe(12);
      expect([...done.values()].every(own)).toBe(true);
      expect(failed.get(1)?.message).toBe("cannot do this one");
      expect(report.maxRssBytes).toHaveLength(2);
      for (const rss of report.maxRssBytes) expect(rss).toBeGreaterThan(1e6);
    },
  );

  it.each<Isolation>(["process", "thread"])(
    "replaces a %s worker that ended, failing only the item it held",
    async (isolation) => {
      const { done, failed } = await pool([1, "exit", 3, 4], { isolation, workers: 1 });
      expect([...done.keys()]).toEqual([0, 2, 3]);
      expect(failed.get(1)).toBeInstanceOf(WorkerGoneError);
      expect(failed.get(1)?.message).toMatch(/ended before answering \(exit 3\)/);
    },
  );

  it("fails the items left, with why, when no worker can start", async () => {
    const { done, failed } = await pool([1, 2, 3], { factor: 0 });
    expect(done.size).toBe(0);
    expect([...failed.keys()]).toEqual([0, 1, 2]);
    expect(failed.get(2)?.message).toMatch(/did not start: no factor, no start/);
  });

  it("ends with the error of a callback that throws", async () => {
    const run = runOnPool([1, 2, 3, 4], {
      module: FIXTURE,
      workers: 2,
      isolation: "process",
      init: { factor: 1 },
      ...TSX,
      onDone: () => {
        throw new Error("enough");
      },
      onFailed: () => undefined,
    });
    await expect(run).rejects.toThrow("enough");
  });
});

describe("mapOnProcesses", () => {
  const map = (items: (number | string)[], jobs: number) =>
    mapOnProcesses<number | string, FixtureAnswer>(items, jobs, FIXTURE, TSX);

  it("answers every item in input order, from processes of their own", async () => {
    const results = await map([1, 2, 3, 4, 5, 6], 2);
    expect(results.map((r) => r.answer)).toEqual([2, 4, 6, 8, 10, 12]);
    const pids = new Set(results.map((r) => r.pid));
    expect(pids.size).toBe(2);
    expect(pids.has(process.pid)).toBe(false);
  });

  it("says which item a process failed and why", async () => {
    await expect(map([1, "fail"], 1)).rejects.toThrow(/failed on item 2: cannot do this one/);
  });

  it("says when a process ended before answering", async () => {
    await expect(map(["exit"], 1)).rejects.toThrow(
      /failed on item 1: the worker ended before answering \(exit 3\)/,
    );
  });

  it("wants a whole number of jobs", async () => {
    await expect(map([1], 0)).rejects.toThrow(/whole number/);
  });
});
