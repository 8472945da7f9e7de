// Unit tests of the run repository over an in-memory IndexedDB.
import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import { makeRun } from "../domain/run-builders";
import { openRunRepository, RUN_DB_VERSION } from "./run-db";

let n = 0;
const freshName = () => `opslab-test-${n++}`;

describe("run repository", () => {
  it("saves runs, overwrites by id, lists newest first and deletes", async () => {
    const repo = await openRunRepository(freshName());
    await repo.save(makeRun({ id: "old", createdAt: "2026-01-01T00:00:00.000Z" }));
    await repo.save(makeRun({ id: "new", createdAt: "2026-02-01T00:00:00.000Z" }));
    await repo.save(makeRun({ id: "old", createdAt: "2026-01-01T00:00:00.000Z", events: [] }));
    const { runs, unreadable } = await repo.list();
    expect(runs.map((r) => r.id)).toEqual(["new", "old"]);
    expect(runs[1]?.events).toEqual([]);
    expect(unreadable).toEqual([]);
    await repo.delete("new");
    expect((await repo.list()).runs.map((r) => r.id)).toEqual(["old"]);
  });

  it("sets a damaged record aside, keeps it, and still lists the others", async () => {
    const name = freshName();
    const repo = await openRunRepository(name);
    await repo.save(makeRun({ id: "good" }));
    const db = await openDB(name, RUN_DB_VERSION);
    await db.put("runs", { id: "bad", createdAt: "2026-03-01T00:00:00.000Z", schemaVersion: 1 });
    db.close();
    const { runs, unreadable } = await repo.list();
    expect(runs.map((r) => r.id)).toEqual(["good"]);
    expect(unreadable).toEqual([{ id: "bad", reason: expect.stringContaining("cannot be read") }]);
  });
});
