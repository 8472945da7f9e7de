// Suites as plain data: tasks × agents × trials, the runs they came to, pass@k and shards; versioned.
import type { RunRecord } from "./run";

/**
 * NOTE: bump when the persisted shape of SuiteRecord changes, and upgrade in restoreSuite().
 */
export const SUITE_SCHEMA_VERSION = 1;

/** Who solves a suite's tasks: a model through a provider, or the task's reference solution. */
export interface SuiteAgent {
  /** A provider id (providers/presets), or "oracle" for the reference solution. */
  provider: string;
  /** The model's name; "reference" for the oracle. */
  model: string;
}

export const ORACLE_AGENT: SuiteAgent = { provider: "oracle", model: "reference" };

/** What a suite runs: every task with every agent, `trials` times each. */
export interface SuiteSpec {
  /** Task ids, in the order they run. */
  tasks: string[];
  agents: SuiteAgent[];
  /** Runs of each task by each agent (k of pass@k is at most this). */
  trials: number;
}

/** One run a suite asks for. */
export interface SuiteItem {
  taskId: string;
  agent: SuiteAgent;
  /** 1-based. */
  trial: number;
}

/** A stored suite: what it asked for and which run answered each item so far. */
export interface SuiteRecord {
  schemaVersion: number;
  id: string;
  name: string;
  /** ISO 8601 time the suite was made. */
  createdAt: string;
  spec: SuiteSpec;
  /** The run of each item done so far, by itemKey(); an item without one is still to run. */
  runs: Record<string, string>;
}

/** An agent as one string: "provider/model". */
export function agentKey(agent: SuiteAgent): string {
  return `${agent.provider}/${agent.model}`;
}

/** An item as one string, unique within a suite: "task|provider/model|trial". */
export function itemKey(item: SuiteItem): string {
  return `${item.taskId}|${agentKey(item.agent)}|${item.trial}`;
}

/** Every item of a suite in its fixed order: task by task, agent by agent, trial by trial. */
export function suiteItems(spec: SuiteSpec): SuiteItem[] {
  const items: SuiteItem[] = [];
  for (const taskId of spec.tasks)
    for (const agent of spec.agents)
      for (let trial = 1; trial <= spec.trials; trial++) items.push({ taskId, agent, trial });
  return items;
}

/** The items of a suite that have no run yet, in order: what a resumed suite runs next. */
export function pendingItems(suite: SuiteRecord): SuiteItem[] {
  return suiteItems(suite.spec).filter((item) => !(itemKey(item) in suite.runs));
}

export class ShardError extends Error {
  constructor(detail: string) {
    super(`${detail}: a shard is written i/n, 1 ≤ i ≤ n (for example 2/4).`);
    this.name = "ShardError";
  }
}

/** Reads "i/n" (1-based), as --shard takes it. */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new ShardError(`"${text}" is not a shard`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new ShardError(`"${text}" is out of range`);
  return { index, count };
}

/**
 * The items of shard `index` of `count` (1-based): item i of suiteItems() goes to shard
 * (i mod count) + 1. NOTE: deterministic and a partition: the shards of one spec together hold every
 * item exactly once, whichever machine computes them; dealing round-robin spreads each task's trials
 * and each domain over the shards.
 */
export function shardItems(spec: SuiteSpec, index: number, count: number): SuiteItem[] {
  return suiteItems(spec).filter((_, i) => i % count === index - 1);
}

/**
 * The unbiased estimator of pass@k (Chen et al. 2021): the chance that at least one of k runs drawn
 * without replacement from n runs, c of them passed, passed: 1 − C(n−c, k) / C(n, k). NOTE: computed
 * as a product so large n does not overflow; NaN when k > n (not enough runs to say).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || k < 1 || c < 0)
    return Number.NaN;
  if (k > n || c > n) return Number.NaN;
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/** The runs of a suite that answer its items, by item key (runs not found are left out). */
export function suiteRuns(
  suite: SuiteRecord,
  runsById: ReadonlyMap<string, RunRecord>,
): Map<string, RunRecord> {
  const found = new Map<string, RunRecord>();
  for (const [key, runId] of Object.entries(suite.runs)) {
    const run = runsById.get(runId);
    if (run) found.set(key, run);
  }
  return found;
}

export class SuiteFormatError extends Error {
  constructor(detail: string) {
    super(`This suite cannot be read (${detail}); it was made by another version or damaged.`);
    this.name = "SuiteFormatError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isAgent = (v: unknown): v is SuiteAgent =>
  isObject(v) && typeof v.provider === "string" && typeof v.model === "string";

/**
 * Reads a stored, imported or merged suite, upgrading older versions. NOTE: every version ever
 * written must keep opening here; a newer one than this code knows is refused with a clear error.
 */
export function restoreSuite(raw: unknown): SuiteRecord {
  if (!isObject(raw)) throw new SuiteFormatError("not an object");
  const version = raw.schemaVersion;
  if (typeof version !== "number") throw new SuiteFormatError("no schemaVersion");
  if (version > SUITE_SCHEMA_VERSION)
    throw new SuiteFormatError(
      `schema ${version} is newer than this OpsLab (${SUITE_SCHEMA_VERSION}): reload the page`,
    );
  if (typeof raw.id !== "string" || !raw.id) throw new SuiteFormatError("no id");
  if (typeof raw.name !== "string") throw new SuiteFormatError("no name");
  if (typeof raw.createdAt !== "string" || Number.isNaN(Date.parse(raw.createdAt)))
    throw new SuiteFormatError("no createdAt");
  const spec = raw.spec;
  if (
    !isObject(spec) ||
    !Array.isArray(spec.tasks) ||
    !spec.tasks.every((t) => typeof t === "string") ||
    !Array.isArray(spec.agents) ||
    !spec.agents.every(isAgent) ||
    !Number.isInteger(spec.trials) ||
    (spec.trials as number) < 1
  )
    throw new SuiteFormatError("a damaged spec");
  if (!isObject(raw.runs) || !Object.values(raw.runs).every((id) => typeof id === "string"))
    throw new SuiteFormatError("a damaged list of runs");
  return {
    schemaVersion: SUITE_SCHEMA_VERSION,
    id: raw.id,
    name: raw.name,
    createdAt: raw.createdAt,
    spec: {
      tasks: [...(spec.tasks as string[])],
      agents: (spec.agents as SuiteAgent[]).map(({ provider, model }) => ({ provider, model })),
      trials: spec.trials as number,
    },
    runs: { ...(raw.runs as Record<string, string>) },
  };
}
