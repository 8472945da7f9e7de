// Unit tests of the job processes: items spread over processes of their own, results in order, and a
// clear failure when a process fails an item or dies before answering.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { mapOnProcesses } from "./job-processes";

const FIXTURE = resolve(import.meta.dirname, "job-processes.fixture.ts");
const TSX = { execArgv: ["--import", "tsx"] };

describe("mapOnProcesses", () => {
  it("answers every item in input order, from processes of their own", async () => {
    const items = [1, 2, 3, 4, 5, 6];
    const results = await mapOnProcesses<number, { doubled: number; pid: number }>(
      items,
      2,
      FIXTURE,
      TSX,
    );
    expect(results.map((r) => r.doubled)).toEqual([2, 4, 6, 8, 10, 12]);
    const pids = new Set(results.map((r) => r.pid));
    expect(pids.size).toBe(2);
    expect(pids.has(process.pid)).toBe(false);
  });

  it("says which item a process failed and why", async () => {
    await expect(mapOnProcesses([1, "fail"], 1, FIXTURE, TSX)).rejects.toThrow(
      /failed on item 2: cannot do this one/,
    );
  });

  it("says when a process ended before answering", async () => {
    await expect(mapOnProcesses(["exit"], 1, FIXTURE, TSX)).rejects.toThrow(
      /ended \(exit 3\) before answering item 1/,
    );
  });

  it("wants a whole number of jobs", async () => {
    await expect(mapOnProcesses([1], 0, FIXTURE, TSX)).rejects.toThrow(/whole number/);
  });
});
