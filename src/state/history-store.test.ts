// Unit tests of the history's state: deleting, freeing space, export then import, bad files, CSV.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { ScriptedClient } from "../agent/scripted-client";
import { makeArchive } from "../domain/archive";
import { makeRun } from "../domain/run-builders";
import { SUITE_SCHEMA_VERSION, type SuiteRecord } from "../domain/suite";
import { openRunRepository, type RunRepository } from "../storage/run-db";
import { createHistoryStore, type StorageSpacePort } from "./history-store";
import { createRunStore, type RunServices } from "./run-store";

let dbs = 0;

function suite(id: string, runs: Record<string, string>): SuiteRecord {
  return {
    schemaVersion: SUITE_SCHEMA_VERSION,
    id,
    name: id,
    createdAt: "2026-12-01T00:00:00.000Z",
    spec: { tasks: ["t"], agents: [{ provider: "p", model: "m" }], trials: 2 },
    runs,
  };
}

async function setup(repository?: RunRepository) {
  const repo = repository ?? (await openRunRepository(`history-${dbs++}`));
  const services: RunServices = {
    vm: () => undefined,
    createClient: () => new ScriptedClient([]),
    limits: () => ({ maxSteps: 1, maxSeconds: 1, maxTokens: 0, maxCostUsd: 0, commandSeconds: 1 }),
    runOptions: () => ({ prices: {}, stopOnWarning: false, secrets: [] }),
    runTask: () => (async function* () {})(),
    newRunId: () => "new",
    now: () => new Date("2026-12-02T00:00:00.000Z"),
    repository: repo,
  };
  const runs = createRunStore(services);
  const space = { usageBytes: 1000, cleared: 0, imports: 0 };
  const port: StorageSpacePort = {
    estimate: () => Promise.resolve({ usageBytes: space.usageBytes, quotaBytes: 10_000 }),
    persist: () => Promise.resolve(true),
    clearTaskStates: () => {
      space.cleared++;
      return Promise.resolve();
    },
  };
  const history = createHistoryStore({
    runs,
    archives: repo,
    space: port,
    now: () => new Date("2026-12-02T00:00:00.000Z"),
    onImported: () => void space.imports++,
  });
  await runs.getState().loadHistory();
  return { repo, runs, history, space };
}

describe("history: delete and free space", () => {
  it("deletes chosen runs and runs older than some days, and measures the space again", async () => {
    const repo = await openRunRepository(`history-${dbs++}`);
    await repo.save(makeRun({ id: "ancient", createdAt: "2026-01-01T00:00:00.000Z" }));
    await repo.save(makeRun({ id: "recent", createdAt: "2026-12-01T00:00:00.000Z" }));
    await repo.save(makeRun({ id: "picked", createdAt: "2026-11-30T00:00:00.000Z" }));
    const { runs, history, space } = await setup(repo);
    history.getState().select(["picked"]);
    space.usageBytes = 400;
    await history.getState().deleteRuns(["picked"]);
    expect(history.getState()).toMatchObject({ selected: [], space: { usageBytes: 400 } });
    expect(await history.getState().deleteOlderThan(30)).toBe(1);
    expect(runs.getState().history.map((r) => r.id)).toEqual(["recent"]);
    expect((await repo.list()).runs.map((r) => r.id)).toEqual(["recent"]);
    await history.getState().clearTaskStates();
    expect(space.cleared).toBe(1);
    await history.getState().requestPersistence();
    expect(history.getState().persisted).toBe(true);
  });
});

describe("history: export and import", () => {
  it("exports all or chosen runs with their suites, and imports them elsewhere as they were", async () => {
    const from = await setup();
    await from.repo.save(makeRun({ id: "a", createdAt: "2026-11-01T00:00:00.000Z" }));
    await from.repo.save(makeRun({ id: "b", createdAt: "2026-11-02T00:00:00.000Z" }));
    await from.repo.saveSuite(suite("s", { "t|p/m|1": "a" }));
    await from.runs.getState().loadHistory();
    const all = await from.history.getState().exportArchive();
    expect(all.name).toBe("opslab-runs-2026-12-02.json");
    const chosen = JSON.parse((await from.history.getState().exportArchive(["b"])).text);
    expect(chosen.runs.map((r: { id: string }) => r.id)).toEqual(["b"]);
    expect(chosen.suites).toEqual([]);

    const to = await setup();
    await to.history.getState().importText(all.text);
    expect(to.history.getState().notice).toEqual({
      kind: "ok",
      text: "Imported 2 run(s) and 1 suite(s).",
    });
    expect(to.runs.getState().history).toEqual(from.runs.getState().history);
    expect((await to.repo.listSuites()).suites).toEqual([suite("s", { "t|p/m|1": "a" })]);
    // Again, with one more suite item: nothing doubled, the suite's runs joined.
    const more = makeArchive(
      from.runs.getState().history,
      [suite("s", { "t|p/m|2": "b" })],
      "another shard",
    );
    await to.history.getState().importText(JSON.stringify(more));
    expect(to.history.getState().notice?.text).toMatch(
      /Imported 0 run\(s\) and 1 suite.*2 run\(s\) were here already/,
    );
    expect((await to.repo.list()).runs).toHaveLength(2);
    expect((await to.repo.listSuites()).suites[0]?.runs).toEqual({
      "t|p/m|1": "a",
      "t|p/m|2": "b",
    });
    // The suites page was told of each import, so it lists the suites they brought.
    expect(to.space.imports).toBe(2);
  });

  it("refuses a bad or foreign file with a clear error and changes nothing", async () => {
    const { repo, history, space } = await setup();
    await repo.saveSuite(suite("s", { "t|p/m|1": "a" }));
    const good = makeArchive([makeRun({ id: "x" })], [], "t");
    const cases: [string, RegExp][] = [
      ["not json {", /not JSON/],
      [JSON.stringify({ hello: "world" }), /not an OpsLab archive.*format/],
      [JSON.stringify({ ...good, version: 99 }), /newer than this OpsLab/],
      [
        JSON.stringify({ ...good, runs: [makeRun({ id: "y" }), { ...makeRun(), task: 3 }] }),
        /run 2: .*task/,
      ],
      [JSON.stringify({ ...good, suites: [suite("s", { "t|p/m|1": "other" })] }), /two runs/],
    ];
    for (const [text, error] of cases) {
      await history.getState().importText(text);
      expect(history.getState().notice).toEqual({
        kind: "error",
        text: expect.stringMatching(error),
      });
      expect((await repo.list()).runs).toEqual([]);
      expect((await repo.listSuites()).suites).toEqual([suite("s", { "t|p/m|1": "a" })]);
    }
    expect(space.imports).toBe(0);
  });

  it("writes the results of chosen runs as CSV", async () => {
    const { repo, runs, history } = await setup();
    await repo.save(makeRun({ id: "a" }));
    await repo.save(makeRun({ id: "b" }));
    await runs.getState().loadHistory();
    const csv = history.getState().exportCsv(["a"]);
    expect(csv.name).toBe("opslab-results-2026-12-02.csv");
    expect(csv.text.trim().split("\r\n")).toHaveLength(2);
  });
});
