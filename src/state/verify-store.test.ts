// Unit tests of the page's verify store: refusals (VM busy or missing, another task), progress and report, Stop, and kept results.
import { describe, expect, it } from "vitest";
import { makeRun } from "../domain/run-builders";
import { makeTask } from "../domain/task-builders";
import type { VerificationSummary, VerifyReport } from "../domain/verification";
import type { VerifyEvent, VerifyRunOptions } from "../tasks/verify-run";
import { FakeVm } from "../vm/fake-vm";
import { createVerifyStore, STOPPED_MESSAGE, type VerifyServices } from "./verify-store";

const record = makeRun({ id: "run-1" });
const task = makeTask();

const report = (reproduced: boolean): VerifyReport => ({
  reproduced,
  verdict: { recorded: "pass", now: reproduced ? "pass" : "fail" },
  checks: [{ text: "ok", recorded: true, now: reproduced }],
  steps: [{ step: 1, command: "ls", same: true, difference: "same", differences: [] }],
  findings: [],
  skipped: [],
  setupMs: 1,
  replayMs: 2,
  gradeMs: 3,
  durationMs: 6,
});

function services(patch: Partial<VerifyServices> = {}) {
  const kept: VerificationSummary[] = [];
  const calls: VerifyRunOptions[] = [];
  const base: VerifyServices = {
    vm: () => new FakeVm(),
    vmBusy: () => undefined,
    async *verifyRun(options) {
      calls.push(options);
      yield { type: "readying" };
      yield { type: "step-started", index: 1, total: 1, step: 1, command: "ls" };
      yield { type: "step", index: 1, total: 1, comparison: report(true).steps[0]! };
      yield { type: "grading" };
      yield { type: "report", report: report(false) };
    },
    repository: {
      saveVerification: async (summary) => void kept.push(summary),
      listVerifications: async () => kept,
    },
    now: () => new Date("2026-12-03T04:00:00Z"),
    ...patch,
  };
  return { base, kept, calls };
}

describe("verify store", () => {
  it("verifies, shows progress, keeps the report and marks the run", async () => {
    const { base, kept } = services();
    const store = createVerifyStore(base);
    const stages: string[] = [];
    store.subscribe((s) => {
      if (s.progress && s.progress.stage !== stages.at(-1)) stages.push(s.progress.stage);
    });
    const result = await store.getState().verify(record, task);
    expect(result?.reproduced).toBe(false);
    expect(stages).toEqual(["readying", "replaying", "grading"]);
    const s = store.getState();
    expect(s.phase).toBe("done");
    expect(s.steps).toHaveLength(1);
    expect(s.report?.verdict).toEqual({ recorded: "pass", now: "fail" });
    expect(s.results["run-1"]).toMatchObject({
      reproduced: false,
      verifiedAt: "2026-12-03T04:00:00.000Z",
    });
    expect(kept).toEqual([s.results["run-1"]]);
    // A new store reads the kept result back.
    const later = createVerifyStore(base);
    await later.getState().load();
    expect(later.getState().results["run-1"]?.reproduced).toBe(false);
  });

  it("refuses while an agent run or a suite uses Linux, before Linux runs, and for another task's version", async () => {
    const { base, calls } = services();
    const busy = createVerifyStore({
      ...base,
      vmBusy: () => "An agent run is using Linux: wait for it to end, or stop it.",
    });
    expect(await busy.getState().verify(record, task)).toBeUndefined();
    expect(busy.getState().error).toMatch(/agent run is using Linux/);
    const noVm = createVerifyStore({ ...base, vm: () => undefined });
    await noVm.getState().verify(record, task);
    expect(noVm.getState().error).toMatch(/Linux is not running yet/);
    const other = createVerifyStore(base);
    await other
      .getState()
      .verify(record, task, { taskMismatch: "This OpsLab has another version of the task." });
    expect(other.getState().error).toMatch(/another version/);
    expect(calls).toEqual([]);
  });

  it("says why a run cannot be verified, and keeps nothing", async () => {
    const { base, kept } = services({
      async *verifyRun(): AsyncGenerator<VerifyEvent> {
        yield { type: "unverifiable", reason: "The run was not graded." };
      },
    });
    const store = createVerifyStore(base);
    expect(await store.getState().verify(record, task)).toBeUndefined();
    expect(store.getState()).toMatchObject({ phase: "done", error: "The run was not graded." });
    expect(kept).toEqual([]);
  });

  it("stops: the signal aborts, the phase says so, and nothing is kept", async () => {
    let aborted = false;
    const { base, kept } = services({
      async *verifyRun(options): AsyncGenerator<VerifyEvent> {
        yield { type: "readying" };
        await new Promise<void>((resolve) =>
          options.signal?.addEventListener("abort", () => resolve(), { once: true }),
        );
        aborted = true;
        yield { type: "stopped" };
      },
    });
    const store = createVerifyStore(base);
    const running = store.getState().verify(record, task);
    await Promise.resolve();
    expect(store.getState().phase).toBe("verifying");
    expect(await store.getState().verify(record, task)).toBeUndefined();
    store.getState().stop();
    expect(store.getState().phase).toBe("stopping");
    expect(await running).toBeUndefined();
    expect(aborted).toBe(true);
    expect(store.getState()).toMatchObject({ phase: "done", error: STOPPED_MESSAGE });
    expect(kept).toEqual([]);
  });

  it("reports a failure of the VM as an error, not a result", async () => {
    const { base } = services({
      async *verifyRun(): AsyncGenerator<VerifyEvent> {
        throw new Error("the VM is gone");
      },
    });
    const store = createVerifyStore(base);
    await store.getState().verify(record, task);
    expect(store.getState().error).toBe("The verification could not go on: the VM is gone");
    expect(store.getState().results).toEqual({});
  });
});
