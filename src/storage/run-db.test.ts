// Unit tests of the run repository over an in-memory IndexedDB: upgrades from stored fixtures, journals, suites, other tabs.
import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../domain/run";
import { makeRun } from "../domain/run-builders";
import { SUITE_SCHEMA_VERSION, type SuiteRecord } from "../domain/suite";
import v1Fixture from "./fixtures/opslab-v1.json";
import v2Fixture from "./fixtures/opslab-v2.json";
import v3Fixture from "./fixtures/opslab-v3.json";
import type { KeptExplanation } from "../domain/kept-explanation";
import type { VerificationSummary } from "../domain/verification";
import {
  openRunRepository,
  RUN_DB_VERSION,
  StorageClosedError,
  StorageFullError,
  storageError,
} from "./run-db";

let n = 0;
const freshName = () => `opslab-test-${n++}`;

interface DbFixture {
  version: number;
  stores: {
    name: string;
    keyPath: string | string[];
    indexes: { name: string; keyPath: string }[];
  }[];
  records: Record<string, unknown[]>;
}

/**
 * Writes a database exactly as an earlier OpsLab did: its stores and indexes created at its version
 * with the raw IndexedDB API, then its records put as they were.
 */
function writeFixture(name: string, fixture: DbFixture): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name, fixture.version);
    open.onupgradeneeded = () => {
      for (const store of fixture.stores) {
        const created = open.result.createObjectStore(store.name, { keyPath: store.keyPath });
        for (const index of store.indexes) created.createIndex(index.name, index.keyPath);
      }
    };
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (Object.keys(fixture.records).length === 0) {
        db.close();
        resolve();
        return;
      }
      const tx = db.transaction(Object.keys(fixture.records), "readwrite");
      for (const [store, records] of Object.entries(fixture.records))
        for (const record of records) tx.objectStore(store).put(record);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

function suite(id: string): SuiteRecord {
  return {
    schemaVersion: SUITE_SCHEMA_VERSION,
    id,
    name: `Suite ${id}`,
    createdAt: "2026-12-01T00:00:00.000Z",
    spec: { tasks: ["t"], agents: [{ provider: "oracle", model: "reference" }], trials: 1 },
    runs: {},
  };
}

const usage = (step: number): RunEvent => ({
  type: "usage",
  atMs: step * 10,
  step,
  inputTokens: 1,
  outputTokens: 1,
  totalTokens: 2 * step,
  costUsd: null,
});

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

describe("upgrades", () => {
  it("opens a version 1 database as version 1 wrote it: every run reads, and the new stores work", async () => {
    const name = freshName();
    await writeFixture(name, v1Fixture as DbFixture);
    const repo = await openRunRepository(name);
    const { runs, unreadable, running } = await repo.list();
    expect(unreadable).toEqual([]);
    expect(running).toEqual([]);
    expect(runs.map((r) => r.id.slice(-4))).toEqual(["0003", "0002", "0001"]);
    expect(runs.map((r) => [r.outcome.reason, r.outcome.verdict])).toEqual([
      [null, null],
      ["finished", "tampered"],
      ["finished", "pass"],
    ]);
    expect(runs[2]?.events).toHaveLength(8);
    await repo.saveSuite(suite("s1"));
    expect((await repo.listSuites()).suites.map((s) => s.id)).toEqual(["s1"]);
    const journal = await repo.begin(makeRun({ id: "live", events: [] }), () => undefined);
    journal.append(usage(1));
    repo.close();

    const raw = await openDB(name);
    expect(raw.version).toBe(RUN_DB_VERSION);
    expect([...raw.objectStoreNames].sort()).toEqual([
      "explanations",
      "runEvents",
      "runs",
      "suites",
      "verifications",
    ]);
    expect([...raw.transaction("runs").store.indexNames]).toEqual(["createdAt"]);
    raw.close();
    // Opening again upgrades nothing and loses nothing.
    const again = await openRunRepository(name);
    expect((await again.list()).runs).toHaveLength(4);
    again.close();
  });
});

const verification = (runId: string, reproduced: boolean): VerificationSummary => ({
  runId,
  verifiedAt: "2026-12-03T00:00:00.000Z",
  reproduced,
  verdict: { recorded: "pass", now: reproduced ? "pass" : "fail" },
  outcomeDifferences: reproduced ? 0 : 1,
  durationMs: 20_000,
});

describe("upgrades from version 2", () => {
  it("opens a version 2 database as version 2 wrote it: runs, a cut-off run's events and suites read, verifications are kept", async () => {
    const name = freshName();
    await writeFixture(name, v2Fixture as DbFixture);
    const repo = await openRunRepository(name);
    const { runs, unreadable } = await repo.list();
    expect(unreadable).toEqual([]);
    expect(runs.map((r) => [r.id.slice(-4), r.events.length, r.outcome.verdict])).toEqual([
      ["0002", 2, null],
      ["0001", 5, "pass"],
    ]);
    expect((await repo.listSuites()).suites.map((s) => s.id)).toEqual(["s-v2"]);
    expect(await repo.listVerifications()).toEqual([]);
    const id = runs[1]?.id ?? "";
    await repo.saveVerification(verification(id, false));
    await repo.saveVerification(verification(id, true));
    expect(await repo.listVerifications()).toEqual([verification(id, true)]);
    repo.close();
    const again = await openRunRepository(name);
    expect(await again.listVerifications()).toEqual([verification(id, true)]);
    again.close();
  });
});

const explanation = (runId: string, damageStep: number | null): KeptExplanation => ({
  runId,
  explainedAt: "2026-12-03T00:00:00.000Z",
  report: {
    damageStep,
    bestStep: { afterStep: 1, checksPassed: 3, checksTotal: 5 },
    probes: [
      { afterStep: 0, kind: "checks", checks: [{ text: "up", passed: false }], durationMs: 9000 },
      { afterStep: 0, kind: "reference", referenceFixes: true, durationMs: 12_000 },
    ],
    durationMs: 60_000,
  },
});

describe("upgrades from version 3", () => {
  it("opens a version 3 database as version 3 wrote it: runs and verifications read, explanations are kept", async () => {
    const name = freshName();
    await writeFixture(name, v3Fixture as DbFixture);
    const repo = await openRunRepository(name);
    const { runs, unreadable } = await repo.list();
    expect(unreadable).toEqual([]);
    expect(runs.map((r) => r.id.slice(-4))).toEqual(["0002", "0001"]);
    expect((await repo.listVerifications()).map((v) => v.runId.slice(-4))).toEqual(["0001"]);
    expect(await repo.listExplanations()).toEqual([]);
    const id = runs[1]?.id ?? "";
    await repo.saveExplanation(explanation(id, null));
    await repo.saveExplanation(explanation(id, 4));
    expect(await repo.listExplanations()).toEqual([explanation(id, 4)]);
    repo.close();
    const again = await openRunRepository(name);
    expect(await again.listExplanations()).toEqual([explanation(id, 4)]);
    again.close();
  });
});

describe("explanations", () => {
  it("go with their run when it is deleted, and a damaged one is left out", async () => {
    const name = freshName();
    const repo = await openRunRepository(name);
    await repo.saveAll([makeRun({ id: "a" }), makeRun({ id: "b" })], []);
    await repo.saveExplanation(explanation("a", 2));
    await repo.saveExplanation(explanation("b", null));
    await repo.deleteMany(["a"]);
    expect(await repo.listExplanations()).toEqual([explanation("b", null)]);
    repo.close();
    const raw = await openDB(name);
    await raw.put("explanations", { runId: "c", report: { damageStep: "two" } });
    raw.close();
    const again = await openRunRepository(name);
    expect(await again.listExplanations()).toEqual([explanation("b", null)]);
    again.close();
  });
});

describe("verifications", () => {
  it("go with their run when it is deleted, and a damaged one is left out", async () => {
    const name = freshName();
    const repo = await openRunRepository(name);
    await repo.saveAll([makeRun({ id: "a" }), makeRun({ id: "b" })], []);
    await repo.saveVerification(verification("a", true));
    await repo.saveVerification(verification("b", false));
    await repo.deleteMany(["a"]);
    expect(await repo.listVerifications()).toEqual([verification("b", false)]);
    repo.close();
    const raw = await openDB(name);
    await raw.put("verifications", { runId: "c", reproduced: "yes" });
    raw.close();
    const again = await openRunRepository(name);
    expect(await again.listVerifications()).toEqual([verification("b", false)]);
    again.close();
  });
});

describe("mended databases", () => {
  it("mends a version 1 database that has no runs store (opened once without a version)", async () => {
    const name = freshName();
    await writeFixture(name, { version: 1, stores: [], records: {} });
    const repo = await openRunRepository(name);
    await repo.save(makeRun({ id: "kept" }));
    expect((await repo.list()).runs.map((r) => r.id)).toEqual(["kept"]);
    repo.close();
  });
});

describe("runs kept step by step", () => {
  it("keeps every event as it is appended, and a cut-off run reads with every step it took", async () => {
    const name = freshName();
    const repo = await openRunRepository(name);
    const journal = await repo.begin(makeRun({ id: "cut", events: [] }), () => undefined);
    for (let step = 1; step <= 3; step++) journal.append(usage(step));
    // The tab goes away without finishing: what was appended is stored.
    journal.flush();
    repo.close();
    const reopened = await openRunRepository(name);
    const { runs, running } = await reopened.list();
    expect(runs[0]?.events.map((e) => ("step" in e ? e.step : 0))).toEqual([1, 2, 3]);
    expect(runs[0]?.outcome).toMatchObject({ reason: null, steps: 3, totalTokens: 6 });
    expect(running).toEqual([]);
    reopened.close();
  });

  it("tells a run still held by its tab from an interrupted one", async () => {
    const live = new Set(["held"]);
    const repo = await openRunRepository(freshName(), {
      runIsLive: (id) => Promise.resolve(live.has(id)),
    });
    await repo.begin(makeRun({ id: "held", events: [] }), () => undefined);
    const gone = await repo.begin(makeRun({ id: "gone", events: [] }), () => undefined);
    // Cut off while it was being graded: the agent had finished, the grade never came.
    gone.append({ type: "finished", atMs: 5, reason: "finished" });
    gone.flush();
    expect(await repo.list()).toMatchObject({ running: ["held"], cutOff: ["gone"] });
    live.clear();
    expect(await repo.list()).toMatchObject({ running: [], cutOff: ["held", "gone"] });
  });

  it("replaces the head and its events with the whole record when the run ends", async () => {
    const name = freshName();
    const repo = await openRunRepository(name);
    const journal = await repo.begin(makeRun({ id: "r", events: [] }), () => undefined);
    journal.append(usage(1));
    journal.append(usage(2));
    await journal.finish(makeRun({ id: "r" }));
    const { runs } = await repo.list();
    expect(runs).toEqual([makeRun({ id: "r" })]);
    const raw = await openDB(name);
    expect(await raw.count("runEvents")).toBe(0);
    expect(await raw.get("runs", "r")).not.toHaveProperty("open");
    raw.close();
  });

  it("deletes many runs with their events in one go", async () => {
    const name = freshName();
    const repo = await openRunRepository(name);
    const journal = await repo.begin(makeRun({ id: "a", events: [] }), () => undefined);
    journal.append(usage(1));
    journal.flush();
    await repo.save(makeRun({ id: "b" }));
    await repo.save(makeRun({ id: "c" }));
    await repo.deleteMany(["a", "b"]);
    expect((await repo.list()).runs.map((r) => r.id)).toEqual(["c"]);
    const raw = await openDB(name);
    expect(await raw.count("runEvents")).toBe(0);
    raw.close();
  });
});

describe("damaged records", () => {
  it("sets aside a foreign record, a deeply damaged one and an open run with a damaged event", async () => {
    const name = freshName();
    const repo = await openRunRepository(name);
    await repo.save(makeRun({ id: "good" }));
    const journal = await repo.begin(makeRun({ id: "open", events: [] }), () => undefined);
    journal.append(usage(1));
    journal.flush();
    const raw = await openDB(name, RUN_DB_VERSION);
    await raw.put("runs", { id: "foreign", createdAt: "2026-05-01T00:00:00.000Z", hello: 1 });
    const deep = makeRun({ id: "deep", createdAt: "2026-04-01T00:00:00.000Z" });
    await raw.put("runs", { ...deep, agent: { ...deep.agent, toolMode: 3 } });
    await raw.put("runEvents", { runId: "open", seq: 1, event: { type: "usage", atMs: "soon" } });
    raw.close();
    const { runs, unreadable } = await repo.list();
    expect(runs.map((r) => r.id)).toEqual(["good"]);
    expect(unreadable.map((u) => [u.id, u.reason])).toEqual([
      ["foreign", expect.stringMatching(/no schemaVersion/)],
      ["deep", expect.stringMatching(/agent\.toolMode/)],
      ["open", expect.stringMatching(/events\[1\] \(usage\)\.atMs/)],
    ]);
    await repo.deleteMany(["foreign", "deep", "open"]);
    expect((await repo.list()).unreadable).toEqual([]);
  });
});

describe("suites", () => {
  it("saves, lists readable and unreadable suites, and deletes", async () => {
    const name = freshName();
    const repo = await openRunRepository(name);
    await repo.saveSuite(suite("a"));
    await repo.saveSuite({ ...suite("a"), name: "renamed" });
    const raw = await openDB(name);
    await raw.put("suites", { id: "broken", schemaVersion: 1 });
    raw.close();
    const { suites, unreadable } = await repo.listSuites();
    expect(suites).toEqual([{ ...suite("a"), name: "renamed" }]);
    expect(unreadable).toEqual([
      { id: "broken", reason: expect.stringContaining("cannot be read") },
    ]);
    await repo.deleteSuite("broken");
    await repo.deleteSuite("a");
    expect(await repo.listSuites()).toEqual({ suites: [], unreadable: [] });
  });
});

describe("other tabs", () => {
  it("closes at once for a newer version opened elsewhere, says to reload, and refuses writes", async () => {
    const name = freshName();
    const closed: string[] = [];
    const repo = await openRunRepository(name, { onClosed: (m) => closed.push(m) });
    const newer = await openDB(name, RUN_DB_VERSION + 1);
    expect(newer.version).toBe(RUN_DB_VERSION + 1);
    expect(closed).toEqual([expect.stringMatching(/newer OpsLab.*reload this page/)]);
    await expect(repo.save(makeRun())).rejects.toThrow(StorageClosedError);
    newer.close();
  });

  it("says to close an older tab that holds the database open, and opens once it does", async () => {
    const name = freshName();
    await writeFixture(name, v1Fixture as DbFixture);
    // An older OpsLab's connection: it never closes on a version change.
    const older = await openDB(name, 1);
    const blocked: string[] = [];
    const opening = openRunRepository(name, { onBlocked: (m) => blocked.push(m) });
    await new Promise((r) => setTimeout(r, 20));
    expect(blocked).toEqual([expect.stringMatching(/older version.*close or reload it/)]);
    older.close();
    const repo = await opening;
    expect((await repo.list()).runs).toHaveLength(3);
    repo.close();
  });
});

describe("storage errors", () => {
  it("turns a full quota into an error that says how to free space", () => {
    const full = new DOMException("quota", "QuotaExceededError");
    expect(storageError(full, undefined)).toBeInstanceOf(StorageFullError);
    expect(storageError(full, undefined).message).toMatch(/Delete old runs.*or export them/);
    const other = new Error("x");
    expect(storageError(other, undefined)).toBe(other);
  });
});
