// Integration: a scripted run of nginx-reports-403 whose step 2 of 4 deletes what the fix needs, explained in the real VM: damage at step 2, best at step 3 (six grades).
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../agent/loop";
import { ScriptedClient } from "../agent/scripted-client";
import type { ExplainReport } from "../domain/explanation";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { readImageManifest, startNodeVm } from "../vm/node-vm";
import type { V86Vm } from "../vm/v86-vm";
import { limitsForTask, recordRun, runTaskWithAgent } from "./agent-run";
import { explainRun } from "./explain-run";
import { loadTaskFolder } from "./node-loader";
import { MemoryTaskStateCache, type ReadyTaskOptions } from "./task-state";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
/**
 * Recording the run, then six probes (each a grade, 20 to 70 s): 215 s on a moderately loaded 2-core
 * machine, and over 300 s under a heavy load. A bound, not a target (bench:explain measures the time).
 */
const RUN_TIMEOUT_MS = 600_000;
/** Steps 1 and 4 of the scripted run: they only read. */
const READ_ONLY = ["ls -la /srv/reports", "curl -s http://localhost:8080/"];

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

async function recordScripted(commands: string[]): Promise<RunRecord> {
  const client = new ScriptedClient([
    ...commands.map((command) => ({ toolCalls: [{ name: "run_command", args: { command } }] })),
    { toolCalls: [{ name: "finish", args: { summary: "Fixed." } }] },
  ]);
  const limits = limitsForTask(task);
  const events: AgentEvent[] = [];
  for await (const event of runTaskWithAgent({ vm, task, client, limits, stateCache }))
    events.push(event);
  return recordRun(crypto.randomUUID(), new Date(), task, client, limits, events);
}

describe("explaining a failed run in the real VM", () => {
  it(
    "finds the step that deleted the Q3 report, and the step where the grader came closest",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const record = await recordScripted([
        READ_ONLY[0]!,
        "rm -rf /srv/reports/q3",
        "chmod 755 /srv/reports && chmod 644 /srv/reports/index.html",
        READ_ONLY[1]!,
      ]);
      expect(record.outcome.verdict).toBe("fail");
      let report: ExplainReport | undefined;
      for await (const event of explainRun({
        vm,
        task,
        record,
        stateCache,
        // NOTE: src/analysis/read-only.ts says this in the CLI and the page; src/tasks/ may not import it.
        mayChange: (input) => !(input.tool === "run_command" && READ_ONLY.includes(input.command)),
      })) {
        if (event.type === "probe")
          console.log(
            `probe ${event.index}/${event.estimatedTotal}: ${JSON.stringify(event.probe)}`,
          );
        if (event.type === "report") report = event.report;
      }
      if (!report) throw new Error("no report");
      console.log(
        `explain: damage ${report.damageStep}, best ${JSON.stringify(report.bestStep)}, ${report.probes.length} probes in ${report.durationMs} ms: ${report.probes.map((p) => `${p.kind}@${p.afterStep} ${p.durationMs} ms`).join(", ")}`,
      );
      expect(report.note).toBeUndefined();
      expect(report.damageStep).toBe(2);
      const ready = report.probes[0]!;
      expect(ready).toMatchObject({ afterStep: 0, kind: "checks" });
      const readyPassed = ready.checks!.filter((c) => c.passed).length;
      // Step 3 lets nginx serve the index: more checks pass than on the readied task, none more after.
      expect(report.bestStep?.afterStep).toBe(3);
      expect(report.bestStep!.checksPassed).toBeGreaterThan(readyPassed);
      // The read-only steps 1 and 4 are never probed: 3 grader probes, 3 reference probes.
      expect(report.probes.map((p) => `${p.kind}@${p.afterStep}`)).toEqual([
        "checks@0",
        "checks@2",
        "checks@3",
        "reference@3",
        "reference@0",
        "reference@2",
      ]);
    },
  );
});
