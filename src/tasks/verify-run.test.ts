// Unit tests of verifyRun over a fake VM: a run recorded there reproduces, a forged one does not, a stop resets, a bad run is refused untouched.
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../agent/loop";
import { ScriptedClient } from "../agent/scripted-client";
import type { RunRecord } from "../domain/run";
import { makeTask } from "../domain/task-builders";
import { FakeVm, type FakeCommandResult } from "../vm/fake-vm";
import type { ExecOptions } from "../vm/vm";
import { limitsForTask, recordRun, runTaskWithAgent } from "./agent-run";
import { REPLAY_TIME_ALLOWANCE } from "./replay";
import { verifyRun, type VerifyEvent } from "./verify-run";

const task = makeTask();
/** The fake machines' shared clock: each `date` anywhere prints a later time. */
let clock = 0;

/** A machine whose grader passes once `fix` ran since the last reset; `date` prints a new time each call. */
class FixableVm extends FakeVm {
  fixed = false;
  resets = 0;
  constructor(private readonly hang?: () => Promise<void>) {
    super((command, options) => this.answer(command, options));
  }
  private async answer(command: string, options: ExecOptions): Promise<FakeCommandResult> {
    if (command === "fix") this.fixed = true;
    if (command === "date") return { stdout: `12:00:${String(++clock).padStart(2, "0")}\n` };
    if (command === "hang") await this.hang?.();
    if (command.includes("check.sh"))
      return this.fixed ? { stdout: "PASS: fixed\n" } : { stdout: "FAIL: fixed\n", exitCode: 1 };
    return options.session === "agent" && command === "false" ? { exitCode: 1 } : {};
  }
  override reset(): Promise<void> {
    this.fixed = false;
    this.resets++;
    return super.reset();
  }
}

async function record(vm: FakeVm, commands: string[]): Promise<RunRecord> {
  const client = new ScriptedClient([
    ...commands.map((command) => ({ toolCalls: [{ name: "run_command", args: { command } }] })),
    { toolCalls: [{ name: "write_file", args: { path: "/root/notes", content: "done" } }] },
  ]);
  const events: AgentEvent[] = [];
  const limits = limitsForTask(task);
  for await (const event of runTaskWithAgent({
    vm,
    task,
    client,
    limits,
    prices: {},
    stopOnWarning: false,
    secrets: [],
  }))
    events.push(event);
  return recordRun("run-1", new Date(0), task, client, limits, events);
}

async function collect(events: AsyncIterable<VerifyEvent>): Promise<VerifyEvent[]> {
  const all: VerifyEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const reportOf = (events: VerifyEvent[]) => {
  const last = events.at(-1);
  if (last?.type !== "report") throw new Error(`no report: ${JSON.stringify(last)}`);
  return last.report;
};

describe("verifyRun", () => {
  it("reproduces a run recorded on the same machine, with its time-dependent output as an output difference", async () => {
    const recorded = await record(new FixableVm(), ["date", "fix"]);
    expect(recorded.outcome.verdict).toBe("pass");
    const vm = new FixableVm();
    const events = await collect(verifyRun({ vm, task, record: recorded }));
    expect(events.map((e) => e.type)).toEqual([
      "readying",
      "ready",
      "step-started",
      "step",
      "step-started",
      "step",
      "step-started",
      "step",
      "grading",
      "report",
    ]);
    const report = reportOf(events);
    expect(report.reproduced).toBe(true);
    expect(report.verdict).toEqual({ recorded: "pass", now: "pass" });
    expect(report.checks).toEqual([{ text: "fixed", recorded: true, now: true }]);
    expect(report.steps.map((s) => [s.command, s.difference])).toEqual([
      ["date", "output"],
      ["fix", "same"],
      ["write /root/notes", "same"],
    ]);
    expect(vm.files.get("/root/notes")).toEqual(new TextEncoder().encode("done"));
    // A command that finished when recorded may take REPLAY_TIME_ALLOWANCE times its limit now.
    const fix = vm.commands.find((c) => c.command === "fix");
    expect(fix?.options.timeoutMs).toBe(
      recorded.limits.commandSeconds * REPLAY_TIME_ALLOWANCE * 1000,
    );
    expect(vm.resets).toBe(1);
  });

  it("gives a command that timed out when recorded the time it had then", async () => {
    const recorded = await record(new FixableVm(), ["sleep 99"]);
    for (const event of recorded.events)
      if (event.type === "tool-result" && event.outcome.kind === "command")
        event.outcome = { ...event.outcome, timedOut: true, durationMs: 3_000, exitCode: 124 };
    const vm = new FixableVm();
    const report = reportOf(await collect(verifyRun({ vm, task, record: recorded })));
    expect(vm.commands.find((c) => c.command === "sleep 99")?.options.timeoutMs).toBe(3_000);
    // The fake machine does not time out: the replay says so, as another outcome.
    expect(report.steps[0]?.differences).toContain("timed out when recorded, not now");
  });

  it("does not reproduce a forged pass whose commands do not fix the machine", async () => {
    const honest = await record(new FixableVm(), ["false"]);
    expect(honest.outcome.verdict).toBe("fail");
    const forged: RunRecord = structuredClone(honest);
    for (const event of forged.events)
      if (event.type === "graded") {
        event.grade.passed = true;
        event.grade.checks = [{ text: "fixed", passed: true }];
      }
    const report = reportOf(
      await collect(verifyRun({ vm: new FixableVm(), task, record: forged })),
    );
    expect(report.reproduced).toBe(false);
    expect(report.verdict).toEqual({ recorded: "pass", now: "fail" });
    expect(report.checks).toEqual([{ text: "fixed", recorded: true, now: false }]);
  });

  it("refuses a run without a grade and a run of another task, without touching the VM", async () => {
    const recorded = await record(new FixableVm(), ["fix"]);
    const vm = new FixableVm();
    const ungraded = { ...recorded, events: recorded.events.filter((e) => e.type !== "graded") };
    expect(await collect(verifyRun({ vm, task, record: ungraded }))).toEqual([
      { type: "unverifiable", reason: expect.stringMatching(/not graded/) },
    ]);
    expect(await collect(verifyRun({ vm, task: undefined, record: recorded }))).toEqual([
      { type: "unverifiable", reason: expect.stringMatching(/not in this OpsLab/) },
    ]);
    expect(vm.commands).toEqual([]);
    expect(vm.resets).toBe(0);
  });

  it("stops: the command in flight is cancelled, the VM reset, nothing reported", async () => {
    const recorded = await record(new FixableVm(), ["hang", "fix"]);
    const stop = new AbortController();
    let started!: () => void;
    const hanging = new Promise<void>((resolve) => (started = resolve));
    const vm = new FixableVm(() => {
      started();
      return new Promise(() => undefined);
    });
    const run = collect(verifyRun({ vm, task, record: recorded, signal: stop.signal }));
    await hanging;
    stop.abort();
    const events = await run;
    expect(events.at(-1)).toEqual({ type: "stopped" });
    expect(events.some((e) => e.type === "report")).toBe(false);
    expect(vm.commands.some((c) => c.command === "fix")).toBe(false);
    expect(vm.resets).toBe(2);
  });
});
