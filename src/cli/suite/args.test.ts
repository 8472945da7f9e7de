import { describe, expect, it } from "vitest";
import { agentKey } from "../../domain/suite";
import { DEFAULT_ISOLATION, isLocalEndpoint, parseSuiteArgs, UsageError } from "./args";
import { agentsOf } from "./run";

const run = (argv: string[]) => {
  const args = parseSuiteArgs(argv);
  if (args.command !== "run") throw new Error(`parsed as ${args.command}`);
  return args;
};

describe("parseSuiteArgs", () => {
  it("reads a full model run", () => {
    const args = run([
      "--tasks",
      "sysadmin,networking/*",
      "--agent",
      "model",
      "--provider",
      "groq",
      "--model",
      "a",
      "--model",
      "b,a",
      "--trials",
      "3",
      "--jobs",
      "2",
      "--shard",
      "2/4",
      "--max-cost",
      "0.5",
      "--max-steps",
      "20",
      "--out",
      "x.json",
    ]);
    expect(args).toMatchObject({
      tasks: ["sysadmin", "networking/*"],
      agent: "model",
      models: ["a", "b"],
      model: {
        presetId: "groq",
        kind: "openai-compatible",
        baseUrl: "https://api.groq.com/openai/v1",
        toolMode: "native",
      },
      trials: 3,
      jobs: 2,
      shard: { index: 2, count: 4 },
      maxCostUsd: 0.5,
      maxSteps: 20,
      out: "x.json",
      isolation: DEFAULT_ISOLATION,
    });
  });

  it("defaults to the oracle, one trial, one job, the whole suite, results.json", () => {
    expect(run(["--tasks", "all"])).toMatchObject({
      agent: "oracle",
      models: ["reference"],
      trials: 1,
      jobs: 1,
      shard: { index: 1, count: 1 },
      out: "results.json",
    });
  });

  it("takes a preset's default model and a --base-url for custom endpoints", () => {
    expect(run(["--tasks", "all", "--agent", "model", "--provider", "anthropic"]).models).toEqual([
      "claude-sonnet-4-5",
    ]);
    expect(() =>
      run(["--tasks", "all", "--agent", "model", "--provider", "custom", "--model", "m"]),
    ).toThrow(/needs --base-url/);
  });

  it("reads the policy and effort axes: lists, repeated flags, each value once, in order", () => {
    const args = run([
      "--tasks",
      "all",
      "--agent",
      "model",
      "--model",
      "o4-mini,gpt-x",
      "--policy",
      "none,read-only",
      "--policy",
      "no-destructive,read-only",
      "--effort",
      "low, off",
    ]);
    expect(args.policies).toEqual([
      undefined,
      { preset: "read-only" },
      { preset: "no-destructive" },
    ]);
    expect(args.efforts).toEqual(["low", undefined]);
    expect(agentsOf(args).map(agentKey)).toEqual([
      "openai/o4-mini · effort low",
      "openai/o4-mini · effort low · read-only",
      "openai/o4-mini · effort low · no-destructive",
      "openai/o4-mini",
      "openai/o4-mini · read-only",
      "openai/o4-mini · no-destructive",
      "openai/gpt-x · effort low",
      "openai/gpt-x · effort low · read-only",
      "openai/gpt-x · effort low · no-destructive",
      "openai/gpt-x",
      "openai/gpt-x · read-only",
      "openai/gpt-x · no-destructive",
    ]);
  });

  it("runs without policy or effort by default, and the oracle under each policy", () => {
    const plain = run(["--tasks", "all", "--agent", "model", "--model", "m"]);
    expect([plain.policies, plain.efforts]).toEqual([[undefined], [undefined]]);
    expect(agentsOf(plain).map(agentKey)).toEqual(["openai/m"]);
    const oracle = run(["--tasks", "all", "--policy", "read-only,none"]);
    expect(agentsOf(oracle)).toEqual([
      { provider: "oracle", model: "reference", policy: { preset: "read-only" } },
      { provider: "oracle", model: "reference" },
    ]);
  });

  it("reads merge", () => {
    expect(parseSuiteArgs(["merge", "a.json", "b.json", "--out", "all.json"])).toEqual({
      command: "merge",
      files: ["a.json", "b.json"],
      out: "all.json",
    });
    expect(() => parseSuiteArgs(["merge"])).toThrow(/name the results files/);
  });

  it.each([
    [[], /--tasks names the tasks/],
    [["--tasks", "all", "--shard", "5/4"], /out of range/],
    [["--tasks", "all", "--shard", "0/4"], /out of range/],
    [["--tasks", "all", "--shard", "two"], /is not a shard/],
    [["--tasks", "all", "--jobs", "0"], /--jobs wants a whole number >= 1/],
    [["--tasks", "all", "--trials", "1.5"], /--trials wants a whole number/],
    [["--tasks", "all", "--agent", "human"], /--agent is oracle or model/],
    [["--tasks", "all", "--model", "m"], /--model is for --agent model/],
    [["--tasks", "all", "--agent", "model", "--provider", "nope"], /--provider is one of/],
    [["--tasks", "all", "--agent", "model", "--tool-mode", "x"], /--tool-mode is native or text/],
    [["--tasks", "all", "--isolation", "vm"], /--isolation is process, thread, inline/],
    [["--tasks", "all", "--max-cost=-1"], /--max-cost wants dollars/],
    [["--tasks", "all", "--frobnicate"], /Unknown option '--frobnicate'/],
    [["--tasks", "all", "--policy", "read-only,admin"], /--policy is a list of none, read-only/],
    [["--tasks", "all", "--policy", ""], /--policy is a list of/],
    [
      ["--tasks", "all", "--agent", "model", "--effort", "max"],
      /--effort is a list of off, minimal/,
    ],
    [["--tasks", "all", "--effort", "high"], /--effort is for --agent model/],
    [["--tasks", "all", "extra"], /unexpected argument "extra"/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseSuiteArgs(argv)).toThrow(UsageError);
    expect(() => parseSuiteArgs(argv)).toThrow(message);
  });

  it("refuses a key as a flag, and never repeats the key in the error", () => {
    for (const flag of ["--api-key", "--key", "--token"]) {
      let message = "";
      try {
        parseSuiteArgs(["--tasks", "all", flag, "sk-secret-123"]);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/never a flag: set OPSLAB_API_KEY/);
      expect(message).not.toContain("sk-secret-123");
    }
  });
});

describe("isLocalEndpoint", () => {
  it("knows this machine's endpoints", () => {
    expect(isLocalEndpoint("http://localhost:11434/v1")).toBe(true);
    expect(isLocalEndpoint("http://127.0.0.1:8000/v1")).toBe(true);
    expect(isLocalEndpoint("https://api.openai.com/v1")).toBe(false);
    expect(isLocalEndpoint("not a url")).toBe(false);
  });
});
