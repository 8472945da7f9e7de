// Integration: a scripted run writing /root/step1..4 in the real VM, forked at step 3 (step3's marker there, step4's not), and an agent carrying on from the fork, graded and recorded as one.
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../agent/loop";
import { ScriptedClient } from "../agent/scripted-client";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { readImageManifest, startNodeVm } from "../vm/driver/node-vm";
import type { V86Vm } from "../vm/driver/v86-vm";
import { limitsForTask, recordRun, runTaskWithAgent } from "./agent-run";
import { forkRun, type ForkEvent, type ForkPoint } from "./fork-run";
import { loadTaskFolder } from "./node-loader";
import { MemoryTaskStateCache, type ReadyTaskOptions } from "./task-state";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
const TEST_TIMEOUT_MS = 240_000;
const MARKERS = "ls -1 /root | grep '^step' | tr '\\n' ' '";

let vm: V86Vm;
let task: TaskBundle;
let stateCache: ReadyTaskOptions;

beforeAll(async () => {
  task = await loadTaskFolder(resolve(TASKS_DIR, "sysadmin/nginx-reports-403"));
  stateCache = { cache: new MemoryTaskStateCache(), imageId: (await readImageManifest()).imageId };
  vm = await startNodeVm();
});

afterAll(async () => {
  await vm?.destroy();
});

/** An agent that runs `commands` one per step, then finishes. */
const scripted = (commands: string[]) =>
  new ScriptedClient([
    ...commands.map((command) => ({ toolCalls: [{ name: "run_command", args: { command } }] })),
    { toolCalls: [{ name: "finish", args: { summary: "Done." } }] },
  ]);

async function recordOf(client: ScriptedClient, fork?: ForkPoint): Promise<RunRecord> {
  const limits = limitsForTask(task);
  const events: AgentEvent[] = [];
  for await (const event of runTaskWithAgent({
    vm,
    task,
    client,
    limits,
    stateCache,
    ...(fork && { fork }),
  }))
    events.push(event);
  return recordRun(crypto.randomUUID(), new Date(), task, client, limits, events, fork?.origin);
}

describe("forking a run in the real VM", () => {
  it(
    "stands right after step 3 of a run that marks each step, and an agent carries on from there",
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const steps = [1, 2, 3, 4].map((n) => `touch /root/step${n}`);
      const started = Date.now();
      const parent = await recordOf(scripted(steps));
      console.log(`parent run recorded in ${Date.now() - started} ms`);
      expect(parent.outcome.commands).toBe(4);

      const events: ForkEvent[] = [];
      for await (const event of forkRun({ vm, task, record: parent, step: 3, stateCache }))
        events.push(event);
      const last = events.at(-1);
      if (last?.type !== "forked") throw new Error(`not forked: ${JSON.stringify(last)}`);
      const fork = last.fork;
      console.log(
        `fork at step 3: ${fork.durationMs} ms (ready ${fork.readyMs}, replay ${fork.replayMs})`,
      );
      expect(events.filter((e) => e.type === "step")).toHaveLength(3);
      expect(fork.differences).toEqual([]);
      expect((await vm.exec(MARKERS)).stdout.trim()).toBe("step1 step2 step3");

      const child = await recordOf(scripted([MARKERS]), fork);
      expect(child.forkedFrom).toEqual(fork.origin);
      const seen = child.events.find((e) => e.type === "tool-result");
      expect(
        seen?.type === "tool-result" && seen.outcome.kind === "command" && seen.outcome.stdout,
      ).toBe("step1 step2 step3 ");
      expect(child.outcome.verdict).not.toBeNull();
    },
  );
});
