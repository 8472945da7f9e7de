// npm run bench:explain [-- --json] [-- --replay-strategy]: time to find where a 20-step scripted run of nginx-reports-403 went wrong (damage at step 13), its probes, and what getting to a probe's machine costs (a saved state restored vs the task readied and its calls replayed), beside one plain grade and one reference run measured in the same VM.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { printFigures } from "./report";
import type { AgentEvent } from "../src/agent/loop";
import { ScriptedClient } from "../src/agent/scripted-client";
import { mayChangeMachine } from "../src/domain/shell/read-only";
import type { ExplainReport } from "../src/domain/explanation";
import { replaySteps } from "../src/domain/verification";
import { limitsForTask, recordRun, runTaskWithAgent } from "../src/tasks/agent-run";
import { explainRun, type ExplainStrategy } from "../src/tasks/explain-run";
import { takeIntegrityBaseline } from "../src/tasks/grading/integrity";
import { loadTaskFolder } from "../src/tasks/node-loader";
import { readyForReplay, replayStep } from "../src/tasks/replay";
import { gradeTask, runSolution } from "../src/tasks/runner";
import { MemoryTaskStateCache } from "../src/tasks/task-state";
import { readImageManifest, startNodeVm } from "../src/vm/driver/node-vm";

const { values } = parseArgs({
  options: { json: { type: "boolean" }, "replay-strategy": { type: "boolean" } },
});
/** The step that deletes what the fix needs. */
const DAMAGE_STEP = 13;
/** Mostly reading, a few harmless changes, the damage at step 13, then a half-fix. */
const COMMANDS = [
  "ls -la /srv/reports",
  "cat /etc/nginx/sites-enabled/reports",
  "systemctl status nginx --no-pager",
  "touch /root/notes",
  "id www-data",
  "ps aux | grep nginx",
  "cp /etc/nginx/sites-available/reports /root/reports.bak",
  "curl -sI http://localhost:8080/",
  "stat /srv/reports",
  "namei -l /srv/reports/q3/summary.csv",
  "systemctl reload nginx",
  "journalctl -u nginx -n 20 --no-pager",
  "rm -rf /srv/reports/q3",
  "ls -la /srv/reports",
  "chmod 755 /srv/reports",
  "chmod 644 /srv/reports/index.html",
  "curl -s http://localhost:8080/",
  "nginx -t",
  'echo "tried permissions" >> /root/notes',
  "df -h",
];

const log = (text: string): void => {
  if (!values.json) console.error(text);
};

const task = await loadTaskFolder(resolve("tasks/sysadmin/nginx-reports-403"));
const stateCache = {
  cache: new MemoryTaskStateCache(),
  imageId: (await readImageManifest()).imageId,
};
const vm = await startNodeVm();
const figures: Record<string, number> = {};
const timed = async <T>(key: string, operation: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  const result = await operation();
  figures[key] = Date.now() - started;
  return result;
};

try {
  log("recording the 20-step scripted run...");
  const client = new ScriptedClient([
    ...COMMANDS.map((command) => ({ toolCalls: [{ name: "run_command", args: { command } }] })),
    { toolCalls: [{ name: "finish", args: { summary: "Done." } }] },
  ]);
  const limits = limitsForTask(task, { maxSteps: COMMANDS.length + 1 });
  const events: AgentEvent[] = [];
  for await (const event of runTaskWithAgent({ vm, task, client, limits, stateCache }))
    events.push(event);
  const record = recordRun("bench", new Date(), task, client, limits, events);
  if (record.outcome.passed) throw new Error("the scripted run passed: nothing to explain");

  log("baseline: one plain grade and one reference run on the readied task...");
  await readyForReplay(vm, task, { stateCache });
  const baseline = await takeIntegrityBaseline(vm);
  const readied = await vm.saveState();
  await timed("baseline.grade_ms", () => gradeTask(vm, task, { baseline }));
  await vm.restoreState(readied);
  await timed("baseline.reference_and_grade_ms", async () => {
    await runSolution(vm, task);
    await gradeTask(vm, task, { baseline });
  });

  log(
    "getting to the machine after all 20 steps: replayed from the start vs a saved state restored...",
  );
  await timed("to_step_20.replay_from_start_ms", async () => {
    await readyForReplay(vm, task, { stateCache });
    for (const step of replaySteps(record).steps)
      await replayStep(vm, step, record.limits.commandSeconds, undefined);
  });
  const after20 = await timed("to_step_20.save_state_ms", () => vm.saveState());
  await vm.restoreState(readied);
  await timed("to_step_20.restore_state_ms", () => vm.restoreState(after20));
  figures["state_mb"] = Math.round(after20.byteLength / 1e6);

  const strategies: ExplainStrategy[] = values["replay-strategy"]
    ? ["snapshot", "replay"]
    : ["snapshot"];
  for (const strategy of strategies) {
    log(`explaining it (${strategy})...`);
    let report: ExplainReport | undefined;
    for await (const event of explainRun({
      vm,
      task,
      record,
      stateCache,
      strategy,
      mayChange: mayChangeMachine,
    })) {
      if (event.type === "probe")
        log(
          `  probe ${event.index}/~${event.estimatedTotal}: ${event.probe.kind}@${event.probe.afterStep} ${event.probe.durationMs} ms`,
        );
      if (event.type === "report") report = event.report;
    }
    if (!report) throw new Error("no report");
    const references = report.probes.filter((p) => p.kind === "reference");
    const checks = report.probes.filter((p) => p.kind === "checks");
    const mean = (xs: number[]) =>
      Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
    figures[`${strategy}.time_to_locate_ms`] = report.durationMs;
    figures[`${strategy}.damage_step_found`] = report.damageStep ?? -1;
    figures[`${strategy}.damage_step_expected`] = DAMAGE_STEP;
    figures[`${strategy}.best_step`] = report.bestStep?.afterStep ?? -1;
    figures[`${strategy}.probes`] = report.probes.length;
    figures[`${strategy}.reference_probes`] = references.length;
    figures[`${strategy}.checks_probes`] = checks.length;
    figures[`${strategy}.reference_probe_mean_ms`] = mean(references.map((p) => p.durationMs));
    figures[`${strategy}.checks_probe_mean_ms`] = mean(checks.map((p) => p.durationMs));
  }
} finally {
  await vm.destroy();
}
printFigures(figures, {}, values.json ?? false);
process.exit(0);
