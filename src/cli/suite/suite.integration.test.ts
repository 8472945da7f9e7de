// The suite runner end to end in the real VM: a 2-task oracle suite over 2 shards, each shard run by the
// container's entrypoint as a Kubernetes pod would, merged; and a model run whose provider echoes the key.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArchive } from "../../domain/archive";
import { itemKey, suiteItems } from "../../domain/suite";

const REPO = resolve(import.meta.dirname, "../../..");
/** Two quick tasks (about 15 s of oracle each once their states are cached). */
const TASKS = ["login-path-broken", "nginx-wont-start"];
const SECRET = "sk-opslab-integration-secret-4b1f";

interface Ran {
  code: number | null;
  output: string;
}

/** Runs a command in the repo with these variables added to a clean environment (CI unset). */
function run(command: string, args: string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((done, fail) => {
    const base = { ...process.env };
    delete base.CI;
    delete base.OPSLAB_API_KEY;
    const child = spawn(command, args, { cwd: REPO, env: { ...base, ...env } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, output }));
  });
}

const suite = (args: string[], env: Record<string, string> = {}) =>
  run(
    "npx",
    ["tsx", "--import", "./src/cli/node-hooks/register.mjs", "src/cli/suite.ts", ...args],
    env,
  );

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "suite-it-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a 2-task oracle suite over 2 shards", () => {
  const shard = (index: number) =>
    run("deploy/suite-entrypoint.sh", [], {
      SUITE_TASKS: TASKS.join(","),
      JOB_COMPLETION_INDEX: String(index),
      SUITE_SHARDS: "2",
      SUITE_RESULTS_DIR: dir,
      OPSLAB_API_KEY: SECRET,
    });

  it("runs each shard through the container's entrypoint, one task each", async () => {
    for (const index of [0, 1]) {
      const ran = await shard(index);
      expect(ran.output).toContain(`shard ${index + 1}/2 has 1 items`);
      expect(ran.code, ran.output).toBe(0);
      expect(ran.output).not.toContain(SECRET);
      const archive = parseArchive(
        JSON.parse(await readFile(join(dir, `results-${index + 1}-of-2.json`), "utf8")),
      );
      expect(archive.runs).toHaveLength(1);
      expect(archive.producer).toBe(`opslab suite (node) shard ${index + 1}/2`);
    }
  });

  it("merges into one suite with every item exactly once, all passed", async () => {
    const out = join(dir, "all.json");
    const ran = await suite([
      "merge",
      join(dir, "results-1-of-2.json"),
      join(dir, "results-2-of-2.json"),
      "--out",
      out,
    ]);
    expect(ran.code, ran.output).toBe(0);
    expect(ran.output).toContain("2 of 2 items run");
    const text = await readFile(out, "utf8");
    expect(text).not.toContain(SECRET);
    const archive = parseArchive(JSON.parse(text));
    expect(archive.suites).toHaveLength(1);
    const [record] = archive.suites;
    const keys = suiteItems(record!.spec).map(itemKey);
    expect(record!.spec.tasks).toEqual([...TASKS].sort());
    expect(Object.keys(record!.runs).sort()).toEqual(keys.sort());
    const runIds = Object.values(record!.runs);
    expect(new Set(runIds).size).toBe(2);
    expect(archive.runs.map((r) => r.id).sort()).toEqual([...runIds].sort());
    for (const r of archive.runs) {
      expect(r.outcome.verdict).toBe("pass");
      expect(r.agent).toMatchObject({ provider: "oracle", model: "reference" });
    }
  });

  it("resumes: running a finished shard again runs nothing and keeps its run", async () => {
    const before = await readFile(join(dir, "results-1-of-2.json"), "utf8");
    const ran = await shard(0);
    expect(ran.code, ran.output).toBe(0);
    expect(ran.output).toContain("1 already in");
    const after = parseArchive(
      JSON.parse(await readFile(join(dir, "results-1-of-2.json"), "utf8")),
    );
    expect(after.runs).toEqual(parseArchive(JSON.parse(before)).runs);
  });
});

describe("the API key", () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    // A provider that refuses the key and quotes it back, as some do.
    server = createServer((request, response) => {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          error: { message: `Incorrect API key provided: ${request.headers.authorization}` },
        }),
      );
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it("is neither printed nor written, even when the provider echoes it", async () => {
    const out = join(dir, "model.json");
    const ran = await suite(
      [
        "--tasks",
        TASKS[0]!,
        "--agent",
        "model",
        "--provider",
        "custom",
        "--base-url",
        baseUrl,
        "--model",
        "echo",
        "--out",
        out,
      ],
      { OPSLAB_API_KEY: SECRET },
    );
    expect(ran.code, ran.output).toBe(0);
    const text = await readFile(out, "utf8");
    const archive = parseArchive(JSON.parse(text));
    const events = archive.runs[0]!.events;
    const error = events.find((e) => e.type === "error");
    // The provider's answer reached the run (so the key passed through it), scrubbed.
    expect(error && "message" in error ? error.message : "").toMatch(/Incorrect API key provided/);
    expect(archive.runs[0]!.outcome.reason).toBe("provider-error");
    expect(text).not.toContain(SECRET);
    expect(ran.output).not.toContain(SECRET);
  });
});
