// Unit tests of the comparisons' database over an in-memory IndexedDB: keep, list newest first, set a damaged record aside.
import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import { COMPARISON_SCHEMA_VERSION, type ComparisonRecord } from "../domain/comparison";
import { COMPARISON_DB_VERSION, ComparisonRepository } from "./comparison-db";

let n = 0;
const freshName = () => `opslab-comparisons-test-${n++}`;

function comparison(id: string, createdAt: string): ComparisonRecord {
  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    id,
    createdAt,
    task: { id: "t", title: "T", domain: "sysadmin", difficulty: "easy" },
    runIds: [`${id}-l`, `${id}-r`],
    agents: [
      { provider: "p", model: "a" },
      { provider: "p", model: "b" },
    ],
    rows: [[0, 0]],
    divergenceRow: null,
  };
}

describe("ComparisonRepository", () => {
  it("keeps comparisons, lists them newest first, opens and deletes one", async () => {
    const repo = new ComparisonRepository(freshName());
    await repo.put(comparison("old", "2026-01-01T00:00:00.000Z"));
    await repo.put(comparison("new", "2026-02-01T00:00:00.000Z"));
    const { comparisons, unreadable } = await repo.list();
    expect(comparisons.map((c) => c.id)).toEqual(["new", "old"]);
    expect(unreadable).toEqual([]);
    expect(await repo.get("old")).toEqual(comparison("old", "2026-01-01T00:00:00.000Z"));
    await repo.delete("old");
    expect(await repo.get("old")).toBeUndefined();
  });

  it("sets a damaged record aside with its reason and loses nothing else", async () => {
    const name = freshName();
    const repo = new ComparisonRepository(name);
    await repo.put(comparison("good", "2026-01-01T00:00:00.000Z"));
    const db = await openDB(name, COMPARISON_DB_VERSION);
    await db.put("comparisons", { id: "bad", schemaVersion: 1, rows: "garbage" });
    db.close();
    const { comparisons, unreadable } = await repo.list();
    expect(comparisons.map((c) => c.id)).toEqual(["good"]);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.id).toBe("bad");
    expect(unreadable[0]?.reason).toMatch(/cannot be read/);
    await expect(repo.get("bad")).rejects.toThrow(/cannot be read/);
  });
});
