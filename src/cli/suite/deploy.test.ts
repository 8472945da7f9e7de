// The engines' files, checked as far as this machine allows: the workflow against GitHub's workflow
// schema, the Kubernetes manifest against the Kubernetes API's schemas, the shard arithmetic of both,
// and the container's entrypoint (its env → flags mapping) run here without a container.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from "@actions/workflow-parser";
import { Job } from "kubernetes-models/batch/v1/Job";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { itemKey, ORACLE_AGENT, shardItems, type SuiteSpec } from "../../domain/suite";
import { parseSuiteArgs } from "./args";

const REPO = resolve(import.meta.dirname, "../../..");
const WORKFLOW = join(REPO, ".github/workflows/suite.yml");
const MANIFEST = join(REPO, "deploy/k8s/suite-job.yaml");
const ENTRYPOINT = join(REPO, "deploy/suite-entrypoint.sh");

async function workflowErrors(content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: "suite.yml", content }, new NoOperationTraceWriter());
  const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
  return [
    ...parsed.context.errors.getErrors().map((e) => e.message),
    ...(template.errors ?? []).map((e) => e.Message),
  ];
}

describe("the GitHub Actions workflow", () => {
  const content = readFileSync(WORKFLOW, "utf8");

  it("conforms to GitHub's workflow schema", async () => {
    expect(await workflowErrors(content)).toEqual([]);
  });

  it("is refused by the same check when broken (the check can fail)", async () => {
    const broken = content.replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest");
    expect((await workflowErrors(broken)).length).toBeGreaterThan(0);
  });

  it("runs a job per shard through the entrypoint and merges after them", async () => {
    const parsed = parseWorkflow({ name: "suite.yml", content }, new NoOperationTraceWriter());
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    const ids = template.jobs.map((job) => job.id.value);
    expect(ids).toEqual(["plan", "shard", "merge"]);
    expect(content).toContain("shard: ${{ fromJSON(needs.plan.outputs.shards) }}");
    expect(content).toContain("SUITE_SHARD: ${{ matrix.shard }}/${{ inputs.shards }}");
    expect(content).toContain("run: deploy/suite-entrypoint.sh");
    expect(content).toMatch(/needs: shard\n\s+if: always\(\)/);
    expect(content).toContain("npm run suite -- merge results/*.json --out results.json");
  });

  it("lists the shard indexes 1..N in the plan job, and refuses a bad N", () => {
    const jobs = (
      parseAllDocuments(content)[0]!.toJS() as {
        jobs: Record<string, { steps: { run?: string }[] }>;
      }
    ).jobs;
    const script = jobs.plan!.steps[0]!.run!;
    const dir = mkdtempSync(join(tmpdir(), "suite-plan-"));
    try {
      const output = join(dir, "out");
      const plan = (shards: string) =>
        spawnSync("bash", ["-c", script], {
          env: { PATH: process.env.PATH, SHARDS: shards, GITHUB_OUTPUT: output },
        });
      expect(plan("4").status).toBe(0);
      expect(plan("1").status).toBe(0);
      expect(readFileSync(output, "utf8")).toBe("list=[1,2,3,4]\nlist=[1]\n");
      expect(plan("0").status).not.toBe(0);
      expect(plan("257").status).not.toBe(0);
      expect(plan("two").status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the Kubernetes Indexed Job", () => {
  const docs = parseAllDocuments(readFileSync(MANIFEST, "utf8")).map(
    (d) => d.toJS() as Record<string, unknown>,
  );
  const jobDoc = docs.find((d) => d.kind === "Job") as ConstructorParameters<typeof Job>[0] &
    object;

  it("conforms to the Kubernetes API's schemas (Job, PersistentVolumeClaim)", () => {
    expect(docs.map((d) => d.kind)).toEqual(["Job", "PersistentVolumeClaim"]);
    expect(() => new Job(jobDoc).validate()).not.toThrow();
    expect(() => new PersistentVolumeClaim(docs[1] as never).validate()).not.toThrow();
  });

  it("is refused by the same check when broken (the check can fail)", () => {
    const broken = structuredClone(jobDoc);
    (broken.spec as { completions: unknown }).completions = "four";
    expect(() => new Job(broken).validate()).toThrow();
  });

  it("runs one shard per completion index, SUITE_SHARDS equal to completions", () => {
    const spec = jobDoc.spec!;
    expect(spec.completionMode).toBe("Indexed");
    const env = spec.template.spec!.containers[0]!.env!;
    expect(env.find((e) => e.name === "SUITE_SHARDS")?.value).toBe(String(spec.completions));
    const key = env.find((e) => e.name === "OPSLAB_API_KEY");
    expect(key?.value).toBeUndefined();
    expect(key?.valueFrom?.secretKeyRef?.name).toBe("opslab-api-key");
  });
});

/** Runs the entrypoint in dry-run mode with only these variables; its flags, or its error. */
function entrypoint(env: Record<string, string>): {
  status: number | null;
  flags: string[];
  stderr: string;
} {
  const result = spawnSync(ENTRYPOINT, [], {
    env: { PATH: process.env.PATH, SUITE_DRY_RUN: "1", ...env },
    encoding: "utf8",
  });
  return {
    status: result.status,
    flags: result.stdout.split("\n").filter(Boolean),
    stderr: result.stderr,
  };
}

describe("the container's entrypoint", () => {
  it("maps JOB_COMPLETION_INDEX 0..n-1 to shards 1/n..n/n, which hold every item once", () => {
    const spec: SuiteSpec = { tasks: ["a", "b", "c"], agents: [ORACLE_AGENT], trials: 3 };
    const keys: string[] = [];
    for (let index = 0; index < 4; index++) {
      const { status, flags } = entrypoint({
        SUITE_TASKS: "all",
        JOB_COMPLETION_INDEX: String(index),
        SUITE_SHARDS: "4",
      });
      expect(status).toBe(0);
      const args = parseSuiteArgs(flags);
      if (args.command !== "run") throw new Error("not a run");
      expect(args.shard).toEqual({ index: index + 1, count: 4 });
      expect(args.out).toBe(`./results-${index + 1}-of-4.json`);
      keys.push(...shardItems(spec, args.shard.index, args.shard.count).map(itemKey));
    }
    expect(keys.sort()).toEqual(shardItems(spec, 1, 1).map(itemKey).sort());
  });

  it("maps every SUITE_ variable to its flag, skips empty ones, and never makes the key a flag", () => {
    const { status, flags } = entrypoint({
      SUITE_TASKS: "sysadmin,cloud/www-*",
      SUITE_AGENT: "model",
      SUITE_PROVIDER: "groq",
      SUITE_MODEL: "m one,m2",
      SUITE_BASE_URL: "",
      SUITE_TRIALS: "3",
      SUITE_JOBS: "2",
      SUITE_MAX_STEPS: "30",
      SUITE_MAX_COST: "0.5",
      SUITE_NAME: "nightly run",
      SUITE_ISOLATION: "process",
      SUITE_SHARD: "2/5",
      SUITE_RESULTS_DIR: "/results",
      OPSLAB_API_KEY: "sk-entrypoint-secret",
    });
    expect(status).toBe(0);
    expect(flags.join("\n")).not.toContain("sk-entrypoint-secret");
    expect(parseSuiteArgs(flags)).toMatchObject({
      tasks: ["sysadmin", "cloud/www-*"],
      agent: "model",
      models: ["m one", "m2"],
      model: { presetId: "groq" },
      trials: 3,
      jobs: 2,
      maxSteps: 30,
      maxCostUsd: 0.5,
      name: "nightly run",
      isolation: "process",
      shard: { index: 2, count: 5 },
      out: "/results/results-2-of-5.json",
    });
    expect(flags).not.toContain("--base-url");
  });

  it("runs the whole suite without a shard, and SUITE_OUT names the file", () => {
    const { flags } = entrypoint({ SUITE_TASKS: "all", SUITE_OUT: "x/y.json" });
    expect(parseSuiteArgs(flags)).toMatchObject({ shard: { index: 1, count: 1 }, out: "x/y.json" });
  });

  it.each([
    [{}, /set SUITE_TASKS/],
    [
      { SUITE_TASKS: "all", JOB_COMPLETION_INDEX: "4", SUITE_SHARDS: "4" },
      /out of range for SUITE_SHARDS=4/,
    ],
    [{ SUITE_TASKS: "all", JOB_COMPLETION_INDEX: "0" }, /set SUITE_SHARDS/],
    [{ SUITE_TASKS: "all", JOB_COMPLETION_INDEX: "x", SUITE_SHARDS: "2" }, /not a number/],
  ])("refuses %j with exit code 2", (env, message) => {
    const { status, stderr } = entrypoint(env as Record<string, string>);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("is what the Dockerfile starts, and passes shellcheck where it is installed", () => {
    expect(readFileSync(join(REPO, "Dockerfile"), "utf8")).toContain(
      'ENTRYPOINT ["/opslab/deploy/suite-entrypoint.sh"]',
    );
    const shellcheck = spawnSync("shellcheck", ["--version"]);
    if (shellcheck.status === 0) execFileSync("shellcheck", [ENTRYPOINT]);
  });
});
