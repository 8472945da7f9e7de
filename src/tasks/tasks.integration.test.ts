// Integration: every task folder loads; a fixed sample of tasks verifies in real VMs; agent runs on a task.
import { resolve } from "node:path";
import { MIN_WRONG_FIXES } from "../domain/task";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeVm } from "../vm/driver/node-vm";
import type { V86Vm } from "../vm/driver/v86-vm";
import { loadCatalogue, type Catalogue } from "./node-loader";
import { mapOnProcesses } from "./job-pool";
import type { VerifyReport } from "./verify";
import { setUpTask, TASK_CLOCK_START } from "./runner";
import type { AgentEvent } from "../agent/loop";
import { createOracleClient } from "../agent/oracle";
import type { GradeProgress } from "../domain/grade-progress";
import { ScriptedClient } from "../agent/scripted-client";
import { limitsForTask, recordRun, runTaskWithAgent } from "./agent-run";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
/**
 * Tasks CI verifies: one of each domain. NOTE: six (one easy and one harder a domain) took 7 of CI's
 * 30 minutes once replay, verify, explain and fork came; `npm run verify:tasks` verifies all of them.
 */
const CI_SAMPLE = ["nginx-reports-403", "router-forwarding-off", "shop-lb-503"];
const CI_JOBS = 2;
/** Each of CI's jobs verifies in a process of its own, as `npm run tasks -- verify` does (its VerifyJob). */
const VERIFY_JOB_SCRIPT = resolve(import.meta.dirname, "../cli/verify-job.ts");
const JOB_NODE_OPTIONS = {
  execArgv: [
    "--import",
    "tsx",
    "--import",
    resolve(import.meta.dirname, "../cli/node-hooks/register.mjs"),
  ],
};
let vm: V86Vm;
let catalogue: Catalogue;

beforeAll(async () => {
  catalogue = await loadCatalogue(TASKS_DIR);
  vm = await startNodeVm();
});

afterAll(async () => {
  await vm?.destroy();
});

describe("the task catalogue", () => {
  it("loads every task folder without errors", () => {
    expect(catalogue.errors.map((e) => e.message)).toEqual([]);
    expect(catalogue.tasks.length).toBeGreaterThan(0);
  });

  it("gives every task the wrong fixes its difficulty asks for", () => {
    const short = catalogue.tasks
      .filter((t) => t.wrongFixes.length < MIN_WRONG_FIXES[t.meta.difficulty])
      .map((t) => `${t.meta.id}: ${t.wrongFixes.length}`);
    expect(short).toEqual([]);
  });

  // NOTE: the whole catalogue takes too long for CI (about 50 s a task); `npm run verify:tasks`
  // verifies every task, and CI a fixed sample from each domain, two at a time.
  it("verifies a fixed sample of tasks, two VMs at a time", { timeout: 1_800_000 }, async () => {
    const sample = CI_SAMPLE.map((id) => catalogue.tasks.find((t) => t.meta.id === id));
    expect(sample.map((t) => t?.meta.id)).toEqual(CI_SAMPLE);
    const reports = await mapOnProcesses<
      { folder: string; repeat: number; json: boolean },
      VerifyReport
    >(
      sample.map((task) => ({
        folder: resolve(TASKS_DIR, task!.meta.domain, task!.meta.id),
        repeat: 1,
        json: true,
      })),
      CI_JOBS,
      VERIFY_JOB_SCRIPT,
      JOB_NODE_OPTIONS,
    );
    expect(reports.map((r) => r.id)).toEqual(CI_SAMPLE);
    expect(reports.flatMap((r) => r.problems.map((p) => `${r.id}: ${p}`))).toEqual([]);
  });
});

describe("a task's setup", () => {
  it("starts the guest's clock at the day the tickets are written, whatever day the snapshot was made", async () => {
    const task = catalogue.tasks.find((t) => t.meta.id === "orders-export-vanishes")!;
    await vm.reset();
    await vm.exec("date -u -s 2031-05-06 >/dev/null");
    await setUpTask(vm, { ...task, setupScript: "date -u +%FT%H:%M >/root/setup-ran-at\n" });
    const ranAt = await vm.exec("cat /root/setup-ran-at; date -d yesterday +%F");
    expect(ranAt.stdout.split("\n").slice(0, 2)).toEqual([
      TASK_CLOCK_START.slice(0, 16),
      "2026-12-02",
    ]);
  });
});

describe("a cloud task's setup", () => {
  it("may read the cloud but not change it (a restored task gets its cloud from cloud.json alone)", async () => {
    const task = catalogue.tasks.find((t) => t.meta.id === "checkout-release-rollback")!;
    await vm.reset();
    await setUpTask(vm, {
      ...task,
      setupScript:
        "set -e\ncloud deployments list >/dev/null\ncloud deployments set-env no-such-deployment --env A=1 || true\n",
    });
    await vm.reset();
    const changing = {
      ...task,
      setupScript: "set -e\ncloud deployments set-env checkout --env LOG_LEVEL=info >/dev/null\n",
    };
    await expect(setUpTask(vm, changing)).rejects.toThrow(
      /setup\.sh changed the cloud \(UpdateDeploymentEnv deployment\/checkout\).*put that state in cloud\.json/,
    );
  });
});

describe("an agent run on a task", () => {
  it(
    "plays the oracle through the agent loop and the grader passes",
    { timeout: 300_000 },
    async () => {
      const task = catalogue.tasks.find((t) => t.meta.id === "nginx-reports-403")!;
      const client = createOracleClient(task.solutionScript);
      const limits = limitsForTask(task);
      const events: AgentEvent[] = [];
      const progress: GradeProgress[] = [];
      const onGradingProgress = (p: GradeProgress) => progress.push(p);
      for await (const event of runTaskWithAgent({ vm, task, client, onGradingProgress }))
        events.push(event);
      const record = recordRun("run-1", new Date(0), task, client, limits, events);
      expect(record.events.map((e) => e.type)).toContain("setup");
      expect(record.outcome).toMatchObject({ reason: "finished", passed: true, commands: 1 });
      const graded = record.events.find((e) => e.type === "graded");
      expect(graded?.type === "graded" && graded.grade.checks.length).toBeGreaterThan(1);
      // While the grader ran, its notes were read in the guest: checks it reported, in its order.
      const checks = graded?.type === "graded" ? graded.grade.checks.map((c) => c.text) : [];
      const noted = progress.flatMap((p) => (p.doing?.kind === "check" ? [p] : []));
      expect(noted.length).toBeGreaterThan(0);
      for (const p of noted) expect(checks[p.checkNumber! - 1]).toBe(p.doing!.text);
    },
  );

  it(
    "starts the next run from a clean VM: an agent that does nothing fails",
    { timeout: 300_000 },
    async () => {
      const task = catalogue.tasks.find((t) => t.meta.id === "nginx-reports-403")!;
      const client = new ScriptedClient([
        {
          text: "Looks fine to me.",
          toolCalls: [{ name: "finish", args: { summary: "nothing to do" } }],
        },
      ]);
      const events: AgentEvent[] = [];
      for await (const event of runTaskWithAgent({ vm, task, client })) events.push(event);
      const record = recordRun("run-2", new Date(0), task, client, limitsForTask(task), events);
      expect(record.outcome).toMatchObject({ reason: "finished", passed: false, commands: 0 });
    },
  );
});
