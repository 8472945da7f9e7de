import { describe, expect, it } from "vitest";
import {
  ARCHIVE_FORMAT,
  ArchiveFormatError,
  ArchiveMergeError,
  makeArchive,
  mergeArchives,
  parseArchive,
  planImport,
} from "./archive";
import { makeRun } from "./run-builders";
import { ORACLE_AGENT, SUITE_SCHEMA_VERSION, type SuiteRecord } from "./suite";

const now = new Date("2026-12-02T10:00:00.000Z");

function suite(runs: Record<string, string>, trials = 2): SuiteRecord {
  return {
    schemaVersion: SUITE_SCHEMA_VERSION,
    id: "s1",
    name: "sweep",
    createdAt: "2026-12-01T00:00:00.000Z",
    spec: { tasks: ["t"], agents: [ORACLE_AGENT], trials },
    runs,
  };
}

describe("parseArchive", () => {
  it("reads back what makeArchive wrote, through JSON", () => {
    const archive = makeArchive(
      [makeRun()],
      [suite({ "t|oracle/reference|1": "r1" })],
      "test",
      now,
    );
    const read = parseArchive(JSON.parse(JSON.stringify(archive)));
    expect(read).toEqual(archive);
  });

  it("keeps a fork's origin through export and import", () => {
    const fork = makeRun({ id: "f1", forkedFrom: { runId: "r1", step: 2 } });
    const archive = makeArchive([makeRun(), fork], [], "test", now);
    expect(parseArchive(JSON.parse(JSON.stringify(archive))).runs[1]?.forkedFrom).toEqual({
      runId: "r1",
      step: 2,
    });
  });

  it("refuses a foreign, newer or damaged file and says where", () => {
    const good = makeArchive([makeRun()], [], "test", now);
    const cases: [unknown, string][] = [
      [[], `format "${ARCHIVE_FORMAT}"`],
      [{ format: "har", log: {} }, "format"],
      [{ ...good, version: 7 }, "newer"],
      [{ ...good, runs: "x" }, "no list"],
      [{ ...good, runs: [makeRun(), { schemaVersion: 1 }] }, "run 2"],
      [{ ...good, suites: [{ ...suite({}), spec: null }] }, "suite 1"],
    ];
    for (const [raw, where] of cases) {
      expect(() => parseArchive(raw)).toThrow(ArchiveFormatError);
      expect(() => parseArchive(raw)).toThrow(where);
    }
  });
});

describe("mergeArchives", () => {
  it("joins shards of one suite and their runs", () => {
    const a = makeArchive(
      [makeRun({ id: "r1" })],
      [suite({ "t|oracle/reference|1": "r1" })],
      "shard 1/2",
      now,
    );
    const b = makeArchive(
      [makeRun({ id: "r2" })],
      [suite({ "t|oracle/reference|2": "r2" })],
      "shard 2/2",
      now,
    );
    const merged = mergeArchives([a, b], "merge", now);
    expect(merged.runs.map((r) => r.id)).toEqual(["r1", "r2"]);
    expect(merged.suites).toHaveLength(1);
    expect(merged.suites[0]!.runs).toEqual({
      "t|oracle/reference|1": "r1",
      "t|oracle/reference|2": "r2",
    });
    // The inputs are left as they were.
    expect(a.suites[0]!.runs).toEqual({ "t|oracle/reference|1": "r1" });
  });

  it("takes the same run twice once", () => {
    const a = makeArchive([makeRun()], [], "a", now);
    expect(mergeArchives([a, a], "m", now).runs).toHaveLength(1);
  });

  it("refuses two different runs with one id, different specs, an item answered twice", () => {
    const a = makeArchive([makeRun()], [suite({ "t|oracle/reference|1": "r1" })], "a", now);
    const otherRun = makeArchive(
      [makeRun({ createdAt: "2026-02-01T00:00:00.000Z" })],
      [],
      "b",
      now,
    );
    const otherSpec = makeArchive([], [suite({}, 3)], "c", now);
    const twice = makeArchive([], [suite({ "t|oracle/reference|1": "r9" })], "d", now);
    expect(() => mergeArchives([a, otherRun], "m", now)).toThrow(ArchiveMergeError);
    expect(() => mergeArchives([a, otherSpec], "m", now)).toThrow("different tasks");
    expect(() => mergeArchives([a, twice], "m", now)).toThrow("two runs");
  });
});

describe("planImport", () => {
  it("adds runs not kept yet and joins a kept suite with the file's items", () => {
    const kept = suite({ "t|oracle/reference|1": "r1" });
    const file = makeArchive(
      [makeRun({ id: "r1" }), makeRun({ id: "r2" })],
      [suite({ "t|oracle/reference|2": "r2" })],
      "file",
      now,
    );
    const plan = planImport(file, [kept], [makeRun({ id: "r1" })]);
    expect(plan.runs.map((r) => r.id)).toEqual(["r2"]);
    expect(plan.already).toBe(1);
    expect(plan.suites).toEqual([
      { ...kept, runs: { "t|oracle/reference|1": "r1", "t|oracle/reference|2": "r2" } },
    ]);
    // The kept suite is left as it was.
    expect(kept.runs).toEqual({ "t|oracle/reference|1": "r1" });
  });

  it("leaves kept suites the file does not name out of the plan, and refuses a clash", () => {
    const other = { ...suite({}), id: "s2" };
    const file = makeArchive([], [suite({})], "file", now);
    expect(planImport(file, [other], []).suites.map((s) => s.id)).toEqual(["s1"]);
    const clash = makeArchive([], [suite({}, 5)], "file", now);
    expect(() => planImport(clash, [suite({})], [])).toThrow(ArchiveMergeError);
  });
});
