// Unit tests of explainRun over a fake VM with machine states: the damage step found by bisection, the best step by the grader, both strategies, a stop, a refusal; and its pure helpers.
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../agent/loop";
import { ScriptedClient } from "../agent/scripted-client";
import type { RunRecord } from "../domain/run";
import { makeTask } from "../domain/task-builders";
import type { ReplayStep } from "../domain/verification";
import { FakeVm, type FakeCommandResult } from "../vm/fake-vm";
import { limitsForTask, recordRun, runTaskWithAgent } from "./agent-run";
import {
  explainRun,
  likelyBisectionPoints,
  probePoints,
  type ExplainEvent,
  type ExplainRunOptions,
} from "./explain-run";

const task = makeTask();

interface Machine {
  /** "half" ran: one of the two checks passes. */
  half: boolean;
  fixed: boolean;
  /** "break" ran: the reference can no longer fix it, and "half" is undone. */
  broken: boolean;
}

/**
 * A machine whose grader prints two checks ("half", "fixed"); the reference solution fixes it unless
 * "break" ran (or `referenceWorks` is false); its state is saved and restored as a real VM's is.
 */
class StatefulVm extends FakeVm {
  machine: Machine = { half: false, fixed: false, broken: false };
  resets = 0;
  restores = 0;
  saves = 0;
  constructor(
    private readonly referenceWorks = true,
    private readonly hang?: () => Promise<void>,
  ) {
    super((command) => this.answer(command));
  }
  private async answer(command: string): Promise<FakeCommandResult> {
    const m = this.machine;
    if (command === "half") m.half = !m.broken;
    if (command === "break") Object.assign(m, { broken: true, half: false });
    if (command === "hang") await this.hang?.();
    if (command.includes("solve.sh")) m.fixed = this.referenceWorks && !m.broken;
    if (command.includes("check.sh")) {
      const line = (ok: boolean, text: string) => `${ok ? "PASS" : "FAIL"}: ${text}\n`;
      const stdout = line(m.half || m.fixed, "half") + line(m.fixed, "fixed");
      return { stdout, exitCode: m.fixed ? 0 : 1 };
    }
    return {};
  }
  override saveState(): Promise<ArrayBuffer> {
    this.saves++;
    return Promise.resolve(new TextEncoder().encode(JSON.stringify(this.machine)).buffer);
  }
  override restoreState(state?: ArrayBuffer): Promise<void> {
    this.restores++;
    this.machine = JSON.parse(new TextDecoder().decode(state)) as Machine;
    return super.restoreState();
  }
  override reset(): Promise<void> {
    this.machine = { half: false, fixed: false, broken: false };
    this.resets++;
    return super.reset();
  }
  /** The agent's commands replayed (not setup's, the grader's or the reference's). */
  replayed(): string[] {
    return this.commands
      .filter((c) => c.options.session === "agent" && !c.command.includes("solve.sh"))
      .map((c) => c.command);
  }
}

async function record(commands: string[]): Promise<RunRecord> {
  const client = new ScriptedClient([
    ...commands.map((command) => ({ toolCalls: [{ name: "run_command", args: { command } }] })),
    { toolCalls: [{ name: "finish", args: { summary: "done" } }] },
  ]);
  const events: AgentEvent[] = [];
  const limits = limitsForTask(task);
  const vm = new StatefulVm();
  for await (const event of runTaskWithAgent({ vm, task, client, limits, prices: {} }))
    events.push(event);
  return recordRun("run-1", new Date(0), task, client, limits, events);
}

const readOnly = new Set(["ls", "cat x", "date"]);
const mayChange = (input: ReplayStep["input"]) =>
  input.tool !== "run_command" || !readOnly.has(input.command);

async function explain(options: Partial<ExplainRunOptions> & { record: RunRecord; vm: FakeVm }) {
  const events: ExplainEvent[] = [];
  for await (const event of explainRun({ task, mayChange, ...options })) events.push(event);
  return events;
}

const reportOf = (events: ExplainEvent[]) => {
  const last = events.at(-1);
  if (last?.type !== "report") throw new Error(`no report: ${JSON.stringify(last)}`);
  return last.report;
};

/** The probes as "kind@afterStep=answer". */
const probesOf = (events: ExplainEvent[]) =>
  reportOf(events).probes.map((p) =>
    p.kind === "reference"
      ? `ref@${p.afterStep}=${p.referenceFixes}`
      : `checks@${p.afterStep}=${p.checks?.filter((c) => c.passed).length}`,
  );

const DAMAGING = ["ls", "half", "cat x", "touch a", "break", "touch b", "date", "touch c"];

describe("explainRun", () => {
  it("finds the step after which the reference no longer fixes the machine, and the grader's best step", async () => {
    const run = await record(DAMAGING);
    expect(run.outcome.verdict).toBe("fail");
    const vm = new StatefulVm();
    const events = await explain({ vm, record: run });
    const report = reportOf(events);
    expect(report.damageStep).toBe(5);
    expect(report.bestStep).toEqual({ afterStep: 2, checksPassed: 1, checksTotal: 2 });
    // The read-only steps 1, 3 and 7 are never probed; the bisection runs over 2, 4, 5, 6, 8.
    expect(probesOf(events)).toEqual([
      "checks@0=0",
      "checks@2=1",
      "checks@4=1",
      "checks@5=0",
      "checks@6=0",
      "checks@8=0",
      "ref@8=false",
      "ref@0=true",
      "ref@4=true",
      "ref@5=false",
    ]);
    expect(report.probes[0]?.checks).toEqual([
      { text: "half", passed: false },
      { text: "fixed", passed: false },
    ]);
    expect(report.note).toBeUndefined();
    const started = events.filter((e) => e.type === "probe-started");
    expect(started.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // NOTE: the estimate is known from the start (6 points, 2 reference probes, log2(5) bisection probes).
    expect(started[0]).toMatchObject({ afterStep: 0, kind: "checks", estimatedTotal: 11 });
    // Each recorded command replayed once: every probe restored a state saved on the way.
    expect(vm.replayed()).toEqual(DAMAGING);
    expect(vm.resets).toBe(1);
  });

  it("replaying from the start finds the same, at the cost of replaying", async () => {
    const run = await record(DAMAGING);
    const vm = new StatefulVm();
    const events = await explain({ vm, record: run, strategy: "replay" });
    expect(reportOf(events).damageStep).toBe(5);
    expect(reportOf(events).bestStep?.afterStep).toBe(2);
    expect(vm.restores).toBe(0);
    expect(vm.replayed().length).toBeGreaterThan(DAMAGING.length * 3);
  });

  it("blames no step when the reference still fixes the machine after the last", async () => {
    const run = await record(["ls", "half", "touch a"]);
    const report = reportOf(await explain({ vm: new StatefulVm(), record: run }));
    expect(report.damageStep).toBeNull();
    // One reference probe, after the last step: it still fixes the machine, so nothing was fatal.
    expect(report.probes.filter((p) => p.kind === "reference")).toEqual([
      expect.objectContaining({ afterStep: 3, referenceFixes: true }),
    ]);
  });

  it("seeks the damage step alone when asked: reference probes only", async () => {
    const run = await record(DAMAGING);
    const vm = new StatefulVm();
    const events = await explain({ vm, record: run, seekBest: false });
    expect(reportOf(events).damageStep).toBe(5);
    expect(reportOf(events).bestStep).toBeNull();
    expect(probesOf(events)).toEqual(["ref@8=false", "ref@0=true", "ref@4=true", "ref@5=false"]);
    expect(vm.replayed()).toEqual(DAMAGING);
  });

  it("says so when the reference does not fix the readied task, and blames no step", async () => {
    const run = await record(["half", "break"]);
    const report = reportOf(await explain({ vm: new StatefulVm(false), record: run }));
    expect(report.damageStep).toBeNull();
    expect(report.note).toMatch(/does not fix the task as readied/);
    expect(report.bestStep?.afterStep).toBe(1);
  });

  it("stops: the command in flight is cancelled, the VM reset, nothing reported", async () => {
    const run = await record(["half", "hang", "break"]);
    const stop = new AbortController();
    let started!: () => void;
    const hanging = new Promise<void>((resolve) => (started = resolve));
    const vm = new StatefulVm(true, () => {
      started();
      return new Promise(() => undefined);
    });
    const events = explain({ vm, record: run, signal: stop.signal });
    await hanging;
    stop.abort();
    const all = await events;
    expect(all.at(-1)).toEqual({ type: "stopped" });
    expect(all.some((e) => e.type === "report")).toBe(false);
    expect(vm.replayed()).not.toContain("break");
    expect(vm.resets).toBe(2);
  });

  it("refuses a run without a grade, without touching the VM", async () => {
    const run = await record(["half"]);
    const ungraded = { ...run, events: run.events.filter((e) => e.type !== "graded") };
    const vm = new StatefulVm();
    expect(await explain({ vm, record: ungraded })).toEqual([
      { type: "unexplainable", reason: expect.stringMatching(/not graded/) },
    ]);
    expect(vm.commands).toEqual([]);
  });
});

describe("probePoints", () => {
  const call = (step: number, command: string): ReplayStep => ({
    step,
    input: { tool: "run_command", command },
    recorded: { kind: "command", exitCode: 0 } as ReplayStep["recorded"],
  });

  it("stops after each run step that may change the machine, all its calls together", () => {
    const steps = [call(1, "ls"), call(2, "ls"), call(2, "touch a"), call(3, "date"), call(4, "x")];
    expect(probePoints(steps, mayChange)).toEqual([
      { calls: 0, afterStep: 0 },
      { calls: 3, afterStep: 2 },
      { calls: 5, afterStep: 4 },
    ]);
  });
});

describe("likelyBisectionPoints", () => {
  it("keeps the end, then the bisection's first levels, within the budget", () => {
    expect([...likelyBisectionPoints(8, 4)].sort((a, b) => a - b)).toEqual([2, 4, 6, 8]);
    expect([...likelyBisectionPoints(8, 2)]).toEqual([8, 4]);
    expect(likelyBisectionPoints(0, 4).size).toBe(0);
    expect([...likelyBisectionPoints(1, 4)]).toEqual([1]);
  });
});
