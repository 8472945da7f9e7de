// Unit tests of the history's filters, search and sorting.
import { describe, expect, it } from "vitest";
import { makeRun } from "../domain/run-builders";
import { summarizeEvents, type RunEvent } from "../domain/run";
import { filterChoices, filterRuns, NO_FILTER, runStatus } from "./history-filter";

const graded = (passed: boolean, tampered = false): RunEvent => ({
  type: "graded",
  atMs: 30,
  grade: {
    passed,
    checks: [],
    exitCode: 0,
    notes: [],
    durationMs: 1,
    ...(tampered && { integrity: { ok: false, findings: [], stopped: [], durationMs: 1 } }),
  },
});
const finished: RunEvent = { type: "finished", atMs: 20, reason: "finished" };
const command = (text: string): RunEvent => ({
  type: "tool-call",
  atMs: 5,
  step: 1,
  callId: "c",
  input: { tool: "run_command", command: text },
});

function run(id: string, day: string, events: RunEvent[], patch = {}) {
  const r = makeRun({ id, createdAt: `${day}T12:00:00.000Z`, events, ...patch });
  return { ...r, outcome: summarizeEvents(events) };
}
const runs = [
  run("pass", "2026-11-01", [command("systemctl restart nginx"), finished, graded(true)]),
  run("fail", "2026-11-02", [finished, graded(false)], {
    task: { id: "dns", title: "DNS", domain: "networking", difficulty: "hard" },
    agent: { provider: "openai", model: "gpt-x", toolMode: "native" },
  }),
  run("tampered", "2026-11-03", [finished, graded(true, true)]),
  run("cut", "2026-11-04", [command("ls")]),
  run("live", "2026-11-05", [command("ls")]),
];
const elsewhere = new Set(["live"]);
const ids = (filter: Partial<typeof NO_FILTER>) =>
  filterRuns(runs, { ...NO_FILTER, ...filter }, elsewhere).map((r) => r.id);

describe("history filters", () => {
  it("names each run's status, interrupted apart from running elsewhere", () => {
    expect(runs.map((r) => runStatus(r, elsewhere))).toEqual([
      "pass",
      "fail",
      "tampered",
      "interrupted",
      "running",
    ]);
    // A run storage found cut off reads as interrupted even when the agent had finished.
    expect(runStatus(runs[0]!, new Set(), new Set([runs[0]!.id]))).toBe("interrupted");
    expect(runStatus(runs[0]!, new Set([runs[0]!.id]), new Set())).toBe("running");
  });

  it("filters by task, domain, model, status and dates, newest first by default", () => {
    expect(ids({})).toEqual(["live", "cut", "tampered", "fail", "pass"]);
    expect(ids({ task: "dns" })).toEqual(["fail"]);
    expect(ids({ domain: "sysadmin" })).toEqual(["live", "cut", "tampered", "pass"]);
    expect(ids({ model: "openai/gpt-x" })).toEqual(["fail"]);
    expect(ids({ status: "tampered" })).toEqual(["tampered"]);
    expect(ids({ status: "interrupted" })).toEqual(["cut"]);
    expect(ids({ from: "2026-11-02", to: "2026-11-03" })).toEqual(["tampered", "fail"]);
  });

  it("searches words in tasks, models, verdicts and commands", () => {
    expect(ids({ query: "NGINX restart" })).toEqual(["pass"]);
    expect(ids({ query: "gpt-x" })).toEqual(["fail"]);
    expect(ids({ query: "nothing-like-this" })).toEqual([]);
  });

  it("sorts by any column either way", () => {
    expect(ids({ sort: "date", descending: false })).toEqual([
      "pass",
      "fail",
      "tampered",
      "cut",
      "live",
    ]);
    expect(ids({ sort: "task", descending: false })[0]).toBe("fail");
    expect(ids({ sort: "model", descending: true }).at(-1)).toBe("fail");
  });

  it("offers the values found as filter choices", () => {
    expect(filterChoices(runs)).toEqual({
      tasks: [
        { id: "dns", title: "DNS" },
        { id: "t", title: "T" },
      ],
      domains: ["networking", "sysadmin"],
      models: ["openai/gpt-x", "p/m"],
    });
  });
});
