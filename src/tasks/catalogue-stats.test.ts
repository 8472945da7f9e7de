// Unit tests of the suite's counts, shortfalls and figures.
import { describe, expect, it } from "vitest";
import type { TaskBundle, TaskDifficulty, TaskDomain, WrongFix } from "../domain/task";
import { makeTask } from "../domain/task-builders";
import { catalogueStats, countsTable, shortfalls, type VerifyRecord } from "./catalogue-stats";

function task(id: string, domain: TaskDomain, difficulty: TaskDifficulty, wrong = 2): TaskBundle {
  const base = makeTask();
  const wrongFix: WrongFix = { name: "w", description: "", script: "true" };
  return {
    ...base,
    meta: { ...base.meta, id, domain, difficulty, solution: { commands: 12, faults: 2 } },
    wrongFixes: Array.from({ length: wrong }, () => wrongFix),
    folderHash: `hash-${id}`,
  };
}

const record = (id: string, patch: Partial<VerifyRecord> = {}): VerifyRecord => ({
  id,
  folderHash: `hash-${id}`,
  verifiedAt: "2026-12-03T18:00:00.000Z",
  repeat: 3,
  ok: true,
  setupMs: 4000,
  solutionMs: 2000,
  graderMs: 3000,
  ...patch,
});

describe("catalogue stats", () => {
  const tasks = [
    task("a", "sysadmin", "easy", 2),
    task("b", "sysadmin", "hard", 4),
    task("c", "networking", "medium", 3),
    task("d", "cloud", "hard", 5),
  ];

  it("counts tasks by domain and difficulty and names each domain short of its share", () => {
    const stats = catalogueStats(tasks, new Map());
    expect(stats.counts.sysadmin).toEqual({ easy: 1, medium: 0, hard: 1, total: 2 });
    expect(stats.counts.all).toEqual({ easy: 1, medium: 1, hard: 2, total: 4 });
    expect(shortfalls(tasks, { perDomain: 2, hardPerDomain: 1 })).toEqual([
      "networking: 1 of 2 tasks, 0 of 1 hard",
      "cloud: 1 of 2 tasks, 1 of 1 hard",
    ]);
    expect(countsTable(stats.counts)).toEqual([
      "             easy medium   hard  total",
      "sysadmin        1      0      1      2",
      "networking      0      1      0      1",
      "cloud           0      0      1      1",
      "all             1      1      2      4",
    ]);
  });

  it("takes times only from passed records made of the folder as it is now", () => {
    const records = new Map([
      ["a", record("a", { setupMs: 1000 })],
      ["b", record("b", { setupMs: 9000, solutionMs: 8000, graderMs: 7000 })],
      ["c", record("c", { folderHash: "older", setupMs: 60_000 })],
      ["d", record("d", { ok: false, setupMs: 90_000 })],
    ]);
    const stats = catalogueStats(tasks, records);
    expect(stats.perTask.map((t) => t.standing)).toEqual([
      "verified",
      "verified",
      "stale",
      "failed",
    ]);
    expect(stats.verified).toBe(2);
    expect(stats.setupMs).toEqual({ min: 1000, median: 5000, max: 9000 });
    expect(stats.graderMs).toEqual({ min: 3000, median: 5000, max: 7000 });
    expect(stats.stale).toEqual(["c"]);
    expect(stats.failed).toEqual(["d"]);
    expect(stats.perTask[2]).not.toHaveProperty("setupMs");
    expect(stats.perTask[1]).toMatchObject({ commands: 12, faults: 2, wrongFixes: 4 });
  });

  it("adds up one round of each verified task that has a round time, for the suite's verification time", () => {
    const records = new Map([
      ["a", record("a", { roundMs: 60_000 })],
      ["b", record("b", { roundMs: 120_000 })],
      ["c", record("c")],
      ["d", record("d", { ok: false, roundMs: 600_000 })],
    ]);
    const stats = catalogueStats(tasks, records);
    expect(stats.suiteRound).toEqual({ totalMs: 180_000, tasks: 2 });
    expect(stats.roundMs).toEqual({ min: 60_000, median: 90_000, max: 120_000 });
    expect(catalogueStats(tasks, new Map([["c", record("c")]])).suiteRound).toBeUndefined();
  });

  it("counts wrong fixes over the suite and says which tasks were never verified", () => {
    const stats = catalogueStats(tasks, new Map([["a", record("a")]]));
    expect(stats.wrongFixes).toEqual({ total: 14, perTask: { min: 2, median: 4, max: 5 } });
    expect(stats.unverified).toEqual(["b", "c", "d"]);
    expect(catalogueStats([], new Map()).setupMs).toBeUndefined();
  });
});
