// Unit tests of the page's explain store: refusals (VM busy or missing, another task), progress and report, Stop, and kept results.
import { describe, expect, it } from "vitest";
import type { ExplainReport } from "../domain/explanation";
import type { KeptExplanation } from "../domain/kept-explanation";
import { makeRun } from "../domain/run-builders";
import { makeTask } from "../domain/task-builders";
import type { ExplainEvent, ExplainRunOptions } from "../tasks/explain-run";
import { FakeVm } from "../vm/fake-vm";
import {
  createExplainStore,
  explanationMarks,
  readyChecksOf,
  EXPLAIN_STOPPED_MESSAGE,
  type ExplainServices,
} from "./explain-store";

const record = makeRun({ id: "run-1" });
const task = makeTask();

const report: ExplainReport = {
  damageStep: 3,
  bestStep: { afterStep: 2, checksPassed: 4, checksTotal: 6 },
  probes: [{ afterStep: 0, kind: "reference", referenceFixes: true, durationMs: 5 }],
  durationMs: 60,
};

function services(patch: Partial<ExplainServices> = {}) {
  const kept: KeptExplanation[] = [];
  const calls: ExplainRunOptions[] = [];
  const base: ExplainServices = {
    vm: () => new FakeVm(),
    vmBusy: () => undefined,
    async *explainRun(options) {
      calls.push(options);
      yield { type: "readying" };
      yield { type: "probe-started", afterStep: 0, kind: "reference", index: 1, estimatedTotal: 4 };
      yield { type: "probe", index: 1, estimatedTotal: 4, probe: report.probes[0]! };
      yield { type: "report", report };
    },
    repository: {
      saveExplanation: async (explanation) => void kept.push(explanation),
      listExplanations: async () => kept,
    },
    now: () => new Date("2026-12-03T04:00:00Z"),
    ...patch,
  };
  return { base, kept, calls };
}

describe("explain store", () => {
  it("explains, shows progress, keeps the report by run and reads it back", async () => {
    const { base, kept, calls } = services();
    const store = createExplainStore(base);
    const stages: string[] = [];
    store.subscribe((s) => {
      if (s.progress && s.progress.stage !== stages.at(-1)) stages.push(s.progress.stage);
    });
    expect(await store.getState().explain(record, task)).toEqual(report);
    expect(stages).toEqual(["readying", "probing"]);
    const s = store.getState();
    expect(s).toMatchObject({ phase: "done", runId: "run-1", report, error: undefined });
    expect(s.probes).toHaveLength(1);
    expect(kept).toEqual([{ runId: "run-1", explainedAt: "2026-12-03T04:00:00.000Z", report }]);
    // NOTE: the page says which calls only read, so those steps are not probed.
    expect(calls[0]?.mayChange?.({ tool: "run_command", command: "ls /srv" })).toBe(false);
    const later = createExplainStore(base);
    await later.getState().load();
    expect(later.getState().results["run-1"]?.report.damageStep).toBe(3);
  });

  it("refuses while something else uses Linux, before Linux runs, and for another task's version", async () => {
    const { base, calls } = services();
    const busy = createExplainStore({
      ...base,
      vmBusy: () => "Linux is verifying a run: wait for it to end, or stop it.",
    });
    expect(await busy.getState().explain(record, task)).toBeUndefined();
    expect(busy.getState().error).toMatch(/verifying a run/);
    const noVm = createExplainStore({ ...base, vm: () => undefined });
    await noVm.getState().explain(record, task);
    expect(noVm.getState().error).toMatch(/Linux is not running yet/);
    const other = createExplainStore(base);
    await other.getState().explain(record, task, { taskMismatch: "Another version of the task." });
    expect(other.getState().error).toMatch(/Another version/);
    expect(calls).toEqual([]);
  });

  it("stops: the signal aborts, the phase says so, and nothing is kept", async () => {
    let aborted = false;
    const { base, kept } = services({
      async *explainRun(options): AsyncGenerator<ExplainEvent> {
        yield { type: "readying" };
        await new Promise<void>((resolve) =>
          options.signal?.addEventListener("abort", () => resolve(), { once: true }),
        );
        aborted = true;
        yield { type: "stopped" };
      },
    });
    const store = createExplainStore(base);
    const running = store.getState().explain(record, task);
    await Promise.resolve();
    expect(store.getState().phase).toBe("explaining");
    expect(await store.getState().explain(record, task)).toBeUndefined();
    store.getState().stop();
    expect(store.getState().phase).toBe("stopping");
    expect(await running).toBeUndefined();
    expect(aborted).toBe(true);
    expect(store.getState()).toMatchObject({ phase: "done", error: EXPLAIN_STOPPED_MESSAGE });
    expect(kept).toEqual([]);
  });

  it("says why a run cannot be explained, and reports a failure of the VM as an error", async () => {
    const unexplainable = createExplainStore(
      services({
        async *explainRun(): AsyncGenerator<ExplainEvent> {
          yield { type: "unexplainable", reason: "The run was not graded." };
        },
      }).base,
    );
    await unexplainable.getState().explain(record, task);
    expect(unexplainable.getState().error).toBe("The run was not graded.");
    const broken = createExplainStore(
      services({
        async *explainRun(): AsyncGenerator<ExplainEvent> {
          throw new Error("the VM is gone");
        },
      }).base,
    );
    await broken.getState().explain(record, task);
    expect(broken.getState().error).toBe(
      "Finding where it went wrong could not go on: the VM is gone",
    );
    expect(broken.getState().results).toEqual({});
  });
});

describe("explanationMarks", () => {
  it("marks the damage step and the best step, not the readied task", () => {
    expect(explanationMarks(report)).toEqual({
      3: [{ kind: "damage", text: expect.stringMatching(/no longer fixes/) }],
      2: [{ kind: "best", text: "Closest here: 4 of 6 checks pass after this step" }],
    });
    const early = { ...report, damageStep: null, bestStep: { ...report.bestStep!, afterStep: 0 } };
    expect(explanationMarks(early)).toEqual({});
    expect(explanationMarks(undefined)).toEqual({});
  });
});

describe("readyChecksOf", () => {
  it("gives the checks of the probe on the readied task, and nothing without one", () => {
    const checks = [{ passed: true, text: "the default site answers" }];
    const report: ExplainReport = {
      damageStep: null,
      bestStep: null,
      probes: [
        { afterStep: 0, kind: "reference", referenceFixes: true, durationMs: 1 },
        { afterStep: 0, kind: "checks", checks, durationMs: 1 },
        { afterStep: 2, kind: "checks", checks: [], durationMs: 1 },
      ],
      durationMs: 3,
    };
    expect(readyChecksOf(report)).toBe(checks);
    expect(readyChecksOf({ ...report, probes: report.probes.slice(2) })).toBeUndefined();
    expect(readyChecksOf(undefined)).toBeUndefined();
  });
});
