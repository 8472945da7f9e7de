// Unit tests of forkRun and of a run carrying on from a fork, over a fake VM: the machine after step N, refusals, Stop, the agent's brief and the fork's record.
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../agent/loop";
import { ScriptedClient } from "../agent/scripted-client";
import type { RunRecord } from "../domain/run";
import { makeTask } from "../domain/task-builders";
import { FakeVm, type FakeCommandResult } from "../vm/fake-vm";
import { limitsForTask, recordRun, runTaskWithAgent } from "./agent-run";
import { forkRun, type ForkEvent, type ForkPoint } from "./fork-run";

const task = { ...makeTask(), folderHash: "f".repeat(64) };

/** A machine whose markers (`touch /root/stepN`) live until a reset; the grader passes once step4 exists. */
class MarkerVm extends FakeVm {
  readonly markers = new Set<string>();
  resets = 0;
  constructor(private readonly hang?: () => Promise<void>) {
    super((command) => this.answer(command));
  }
  private async answer(command: string): Promise<FakeCommandResult> {
    const touched = /^touch (\/root\/step\d+)$/.exec(command)?.[1];
    if (touched) this.markers.add(touched);
    if (command === "hang") await this.hang?.();
    if (command.includes("check.sh"))
      return this.markers.has("/root/step4")
        ? { stdout: "PASS: step4\n" }
        : { stdout: "FAIL: step4\n", exitCode: 1 };
    return {};
  }
  override reset(): Promise<void> {
    this.markers.clear();
    this.resets++;
    return super.reset();
  }
}

const touches = (n: number) => Array.from({ length: n }, (_, i) => `touch /root/step${i + 1}`);

async function play(
  vm: FakeVm,
  client: ScriptedClient,
  fork?: ForkPoint,
): Promise<{ events: AgentEvent[]; record: RunRecord }> {
  const events: AgentEvent[] = [];
  const limits = limitsForTask(task);
  const options = { vm, task, client, limits, prices: {}, stopOnWarning: false, secrets: [] };
  for await (const event of runTaskWithAgent({ ...options, ...(fork && { fork }) }))
    events.push(event);
  const record = recordRun("run-1", new Date(0), task, client, limits, events, fork?.origin);
  return { events, record };
}

const scripted = (commands: string[]) =>
  new ScriptedClient(
    commands.map((command) => ({ toolCalls: [{ name: "run_command", args: { command } }] })),
  );

async function collect(events: AsyncIterable<ForkEvent>): Promise<ForkEvent[]> {
  const all: ForkEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

function forkOf(events: ForkEvent[]): ForkPoint {
  const last = events.at(-1);
  if (last?.type !== "forked") throw new Error(`not forked: ${JSON.stringify(last)}`);
  return last.fork;
}

describe("forkRun", () => {
  it("leaves the machine right after step N: its markers and not the later ones", async () => {
    const { record } = await play(new MarkerVm(), scripted(touches(4)));
    const vm = new MarkerVm();
    vm.markers.add("/root/left-from-before");
    const events = await collect(forkRun({ vm, task, record, step: 3 }));
    expect(events.map((e) => e.type)).toEqual([
      "readying",
      "ready",
      ...["step-started", "step", "step-started", "step", "step-started", "step"],
      "forked",
    ]);
    expect([...vm.markers].sort()).toEqual(["/root/step1", "/root/step2", "/root/step3"]);
    expect(vm.resets).toBe(1);
    const fork = forkOf(events);
    expect(fork.origin).toEqual({ runId: "run-1", step: 3, taskHash: task.folderHash });
    expect(fork.differences).toEqual([]);
    expect(fork.history).toContain("touch /root/step3");
    expect(fork.history).not.toContain("step4");
  });

  it("forks at step 0 as the readied task, and reports a call that ended otherwise", async () => {
    const { record } = await play(new MarkerVm(), scripted(touches(2)));
    const vm = new MarkerVm();
    expect(forkOf(await collect(forkRun({ vm, task, record, step: 0 }))).history).toContain(
      "no command was run yet",
    );
    expect(vm.markers.size).toBe(0);
    const broken = new (class extends MarkerVm {
      override exec(command: string, options = {}) {
        return command === "touch /root/step2"
          ? super.exec("false-step", options).then((r) => ({ ...r, exitCode: 1 }))
          : super.exec(command, options);
      }
    })();
    const fork = forkOf(await collect(forkRun({ vm: broken, task, record, step: 2 })));
    expect(fork.differences.map((d) => [d.step, d.difference])).toEqual([[2, "outcome"]]);
  });

  it("refuses another task, a missing one and a step the run does not have, without touching the VM", async () => {
    const { record } = await play(new MarkerVm(), scripted(touches(2)));
    const vm = new MarkerVm();
    const refused = async (options: Partial<Parameters<typeof forkRun>[0]>) =>
      (await collect(forkRun({ vm, task, record, step: 1, ...options })))[0];
    expect(await refused({ task: undefined })).toMatchObject({
      type: "unforkable",
      reason: expect.stringMatching(/not in this OpsLab/),
    });
    expect(await refused({ record: { ...record, task: { ...record.task, id: "other" } } })).toEqual(
      expect.objectContaining({ type: "unforkable" }),
    );
    // Step 3 is the scripted agent's finish: a fork may carry on after it, not after step 4.
    expect(await refused({ step: 4 })).toMatchObject({
      reason: expect.stringMatching(/steps 0 to 3/),
    });
    expect(vm.commands).toEqual([]);
    expect(vm.resets).toBe(0);
  });

  it("stops during a replayed call: the command is cancelled and the machine reset", async () => {
    const { record } = await play(new MarkerVm(), scripted(["touch /root/step1", "hang"]));
    let entered = (): void => {};
    const hanging = new Promise<void>((resolve) => (entered = resolve));
    const vm = new MarkerVm(() => {
      entered();
      return new Promise(() => undefined);
    });
    const stop = new AbortController();
    const running = collect(forkRun({ vm, task, record, step: 2, signal: stop.signal }));
    await hanging;
    stop.abort();
    const events = await running;
    expect(events.at(-1)).toEqual({ type: "stopped" });
    expect(vm.resets).toBe(2);
    expect(vm.markers.size).toBe(0);
  });
});

describe("a run carrying on from a fork", () => {
  it("starts on the forked machine without readying it, tells the agent the earlier steps, and is graded and recorded as a fork", async () => {
    const { record: parent } = await play(new MarkerVm(), scripted(touches(4)));
    const vm = new MarkerVm();
    const fork = forkOf(await collect(forkRun({ vm, task, record: parent, step: 3 })));
    const resetsBefore = vm.resets;
    const client = scripted(["touch /root/step4"]);
    const { events, record } = await play(vm, client, fork);
    expect(vm.resets).toBe(resetsBefore);
    const setup = events.find((e) => e.type === "setup");
    expect(setup).toMatchObject({ note: expect.stringMatching(/after step 3 of run run-1/) });
    const first = client.requests[0]?.messages[0]?.content ?? "";
    expect(first).toMatch(/^Here is the ticket:/);
    expect(first).toContain("Step 3, run_command: touch /root/step3");
    expect(first).not.toContain("touch /root/step4");
    expect(record.outcome.verdict).toBe("pass");
    expect(record.forkedFrom).toEqual(fork.origin);
  });
});
