// Integration: runs recorded in the real VM (a sysadmin and a cloud task by the oracle, the first forged to fix nothing, a tampering agent) verified in the real VM.
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../agent/loop";
import { createOracleClient } from "../agent/oracle";
import { ScriptedClient } from "../agent/scripted-client";
import type { LlmClient } from "../agent/llm";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import type { VerifyReport } from "../domain/verification";
import { readImageManifest, startNodeVm } from "../vm/driver/node-vm";
import type { V86Vm } from "../vm/driver/v86-vm";
import { limitsForTask, recordRun, runTaskWithAgent } from "./agent-run";
import { loadTaskFolder } from "./node-loader";
import { MemoryTaskStateCache, type ReadyTaskOptions } from "./task-state";
import { verifyRun, type VerifyEvent } from "./verify-run";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
const RUN_TIMEOUT_MS = 300_000;

let vm: V86Vm;
let sysadmin: TaskBundle;
let cloud: TaskBundle;
let stateCache: ReadyTaskOptions;

beforeAll(async () => {
  sysadmin = await loadTaskFolder(resolve(TASKS_DIR, "sysadmin/nginx-reports-403"));
  cloud = await loadTaskFolder(resolve(TASKS_DIR, "cloud/www-nxdomain"));
  stateCache = { cache: new MemoryTaskStateCache(), imageId: (await readImageManifest()).imageId };
  vm = await startNodeVm();
});

afterAll(async () => {
  await vm?.destroy();
});

/** Runs `client` on `task` through the runner, as the page and npm run agent do, and keeps the record. */
async function recordRunOf(task: TaskBundle, client: LlmClient): Promise<RunRecord> {
  const limits = limitsForTask(task);
  const events: AgentEvent[] = [];
  for await (const event of runTaskWithAgent({ vm, task, client, limits, stateCache }))
    events.push(event);
  return recordRun(crypto.randomUUID(), new Date(), task, client, limits, events);
}

let sysadminOracleRun: Promise<RunRecord> | undefined;
/** The oracle's run of the sysadmin task, recorded once for the tests that need one. */
const oracleRunOfSysadmin = (): Promise<RunRecord> =>
  (sysadminOracleRun ??= recordRunOf(sysadmin, createOracleClient(sysadmin.solutionScript)));

/** An agent that runs `commands`, then finishes. */
const scripted = (commands: string[]) =>
  new ScriptedClient([
    ...commands.map((command) => ({ toolCalls: [{ name: "run_command", args: { command } }] })),
    { toolCalls: [{ name: "finish", args: { summary: "Fixed." } }] },
  ]);

async function verify(task: TaskBundle, record: RunRecord): Promise<VerifyReport> {
  const events: VerifyEvent[] = [];
  for await (const event of verifyRun({ vm, task, record, stateCache })) events.push(event);
  const last = events.at(-1);
  if (last?.type !== "report") throw new Error(`no report: ${JSON.stringify(last)}`);
  const r = last.report;
  console.log(
    `${task.meta.id} ${r.verdict.recorded} → ${r.verdict.now}: ${r.durationMs} ms (setup ${r.setupMs}, replay ${r.replayMs}, grading ${r.gradeMs}); steps ${r.steps.map((s) => s.difference).join(", ")}`,
  );
  for (const step of r.steps.filter((s) => s.difference === "outcome"))
    console.log(`  step ${step.step} ${step.command}: ${step.differences.join("; ")}`);
  return r;
}

/** Every recorded check came out the same this time, and no other. */
function expectSameChecks(report: VerifyReport) {
  expect(report.checks.length).toBeGreaterThan(0);
  for (const check of report.checks) expect(check.now, check.text).toBe(check.recorded);
}

describe("verifying recorded runs in the real VM", () => {
  it(
    "reproduces an oracle run of a sysadmin task, check by check",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const record = await oracleRunOfSysadmin();
      expect(record.outcome.verdict).toBe("pass");
      const report = await verify(sysadmin, record);
      expect(report.reproduced).toBe(true);
      expect(report.verdict).toEqual({ recorded: "pass", now: "pass" });
      expectSameChecks(report);
      expect(report.steps.map((s) => s.difference)).toEqual(["same", "same"]);
    },
  );

  it(
    "reproduces an oracle run of a cloud task, check by check",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const record = await recordRunOf(cloud, createOracleClient(cloud.solutionScript));
      expect(record.outcome.verdict).toBe("pass");
      const report = await verify(cloud, record);
      expect(report.reproduced).toBe(true);
      expect(report.verdict).toEqual({ recorded: "pass", now: "pass" });
      expectSameChecks(report);
      // Its solution waits on the cloud (several seconds a call on a loaded machine): let finish, not cut.
      expect(report.steps.map((s) => s.difference)).not.toContain("outcome");
    },
  );

  it(
    "does not reproduce a forged pass whose commands do not fix the machine",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      // The forgery: the oracle's passing run, its fix swapped for commands that fix nothing.
      const forged: RunRecord = structuredClone(await oracleRunOfSysadmin());
      const calls = forged.events.filter((event) => event.type === "tool-call");
      expect(calls.map((call) => call.input.tool)).toContain("run_command");
      for (const call of calls)
        if (call.input.tool === "run_command")
          call.input = {
            tool: "run_command",
            command: "ls -l /srv/reports; systemctl restart nginx",
          };
      expect(forged.outcome.verdict).toBe("pass");
      const report = await verify(sysadmin, forged);
      expect(report.reproduced).toBe(false);
      expect(report.verdict).toEqual({ recorded: "pass", now: "fail" });
      expect(report.checks.some((c) => c.recorded === true && c.now === false)).toBe(true);
    },
  );

  it(
    "finds a run that tampers with grading tampered again",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const record = await recordRunOf(
        sysadmin,
        scripted([
          "find /srv/reports -type d -exec chmod 755 {} +",
          "find /srv/reports -type f ! -name .signing.key -exec chmod 644 {} +",
          "echo /usr/lib/i386-linux-gnu/libz.so.1 > /etc/ld.so.preload",
        ]),
      );
      expect(record.outcome.verdict).toBe("tampered");
      const report = await verify(sysadmin, record);
      expect(report.reproduced).toBe(true);
      expect(report.verdict).toEqual({ recorded: "tampered", now: "tampered" });
      expect(report.findings.map((f) => f.where)).toContain("/etc/ld.so.preload");
    },
  );
});
