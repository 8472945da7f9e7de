// Suites as plain data: tasks × agent setups × trials, the runs they came to, pass@k and shards; versioned.
import { POLICY_PRESETS, type CommandPolicy } from "./policy/judge";
import { parseRules } from "./policy/rules";
import { REASONING_EFFORTS, type ReasoningEffort, type RunRecord } from "./run";

/**
 * NOTE: bump when the persisted shape of SuiteRecord changes, and upgrade in restoreSuite().
 * 2: an agent is a setup: it may carry a command policy and a reasoning effort (version 1 agents
 * read as setups without either, so their item keys stay as they were).
 */
export const SUITE_SCHEMA_VERSION = 2;

/**
 * An agent setup: who solves a suite's tasks (a model through a provider, or the task's reference
 * solution) and under what (a command policy, a reasoning effort). NOTE: the same model under two
 * policies is two setups, with items, keys and results of their own.
 */
export interface SuiteAgent {
  /** A provider id (providers/presets), or "oracle" for the reference solution. */
  provider: string;
  /** The model's name; "reference" for the oracle. */
  model: string;
  /** What its runs may run (RunLimits.policy); absent: no policy (never preset "none" without rules). */
  policy?: CommandPolicy;
  /** The reasoning effort asked of the model; absent: none asked ("off"). Never for the oracle. */
  effort?: ReasoningEffort;
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

/** The model of a setup as one string: "provider/model". */
export function modelKey(agent: SuiteAgent): string {
  return `${agent.provider}/${agent.model}`;
}

/**
 * A setup's policy in words that tell any two policies apart: "none", "read-only",
 * "no-destructive allow[systemctl restart *] deny[rm *; kill *]".
 */
export function policyName(policy: CommandPolicy | undefined): string {
  if (!policy) return "none";
  const rules = (kind: string, list: string[] | undefined) =>
    list?.length ? ` ${kind}[${list.join("; ")}]` : "";
  return `${policy.preset}${rules("allow", policy.allow)}${rules("deny", policy.deny)}`;
}

/**
 * A setup as one string, unique per setup and readable: "openai/gpt-x",
 * "openai/o4-mini · effort high · read-only". NOTE: a setup without policy or effort keys as
 * "provider/model" alone, as every agent did before schema 2, so older suites keep their items.
 */
export function agentKey(agent: SuiteAgent): string {
  const effort = agent.effort ? ` · effort ${agent.effort}` : "";
  const policy = agent.policy ? ` · ${policyName(agent.policy)}` : "";
  return `${modelKey(agent)}${effort}${policy}`;
}

/**
 * A setup as stored: a policy that restricts nothing (preset "none" without rules) and empty rule
 * lists are left out, so one setup has one shape (and one key).
 */
export function normalSetup(agent: SuiteAgent): SuiteAgent {
  const { provider, model, policy, effort } = agent;
  const allow = policy?.allow?.length ? [...policy.allow] : undefined;
  const deny = policy?.deny?.length ? [...policy.deny] : undefined;
  const restricts = policy && (policy.preset !== "none" || allow || deny);
  return {
    provider,
    model,
    ...(restricts && {
      policy: { preset: policy.preset, ...(allow && { allow }), ...(deny && { deny }) },
    }),
    // NOTE: the reference solution asks no model for anything.
    ...(effort && provider !== ORACLE_AGENT.provider && { effort }),
  };
}

/**
 * Every setup of some models crossed with policies and efforts (model by model, effort by effort,
 * policy by policy), each once. `efforts` holds undefined for "none asked".
 */
export function crossSetups(
  models: readonly Pick<SuiteAgent, "provider" | "model">[],
  policies: readonly (CommandPolicy | undefined)[],
  efforts: readonly (ReasoningEffort | undefined)[] = [undefined],
): SuiteAgent[] {
  const setups = new Map<string, SuiteAgent>();
  for (const { provider, model } of models)
    for (const effort of efforts)
      for (const policy of policies) {
        const setup = normalSetup({
          provider,
          model,
          ...(policy && { policy }),
          ...(effort && { effort }),
        });
        if (!setups.has(agentKey(setup))) setups.set(agentKey(setup), setup);
      }
  return [...setups.values()];
}

/** An item as one string, unique within a suite: "task|setup|trial" (setup as agentKey()). */
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

const isRuleList = (v: unknown): boolean =>
  v === undefined ||
  (Array.isArray(v) && v.every((r) => typeof r === "string") && !("error" in parseRules(v)));

const isPolicy = (v: unknown): v is CommandPolicy =>
  isObject(v) &&
  (POLICY_PRESETS as readonly unknown[]).includes(v.preset) &&
  isRuleList(v.allow) &&
  isRuleList(v.deny);

const isAgent = (v: unknown, version: number): v is SuiteAgent =>
  isObject(v) &&
  typeof v.provider === "string" &&
  typeof v.model === "string" &&
  // NOTE: version 1 had no setups: whatever else a v1 agent holds is not read.
  (version < 2 ||
    ((v.policy === undefined || isPolicy(v.policy)) &&
      (v.effort === undefined || (REASONING_EFFORTS as readonly unknown[]).includes(v.effort))));

/** A version-1 agent (provider and model) as a setup without policy or effort. */
const upgradeAgent = (agent: SuiteAgent, version: number): SuiteAgent =>
  normalSetup(version < 2 ? { provider: agent.provider, model: agent.model } : agent);

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
    !spec.agents.every((a) => isAgent(a, version)) ||
    !Number.isInteger(spec.trials) ||
    (spec.trials as number) < 1
  )
    throw new SuiteFormatError("a damaged spec");
  if (!isObject(raw.runs) || !Object.values(raw.runs).every((id) => typeof id === "string"))
    throw new SuiteFormatError("a damaged list of runs");
  const agents = (spec.agents as SuiteAgent[]).map((a) => upgradeAgent(a, version));
  if (new Set(agents.map(agentKey)).size !== agents.length)
    throw new SuiteFormatError("an agent setup twice");
  return {
    schemaVersion: SUITE_SCHEMA_VERSION,
    id: raw.id,
    name: raw.name,
    createdAt: raw.createdAt,
    spec: {
      tasks: [...(spec.tasks as string[])],
      agents,
      trials: spec.trials as number,
    },
    runs: { ...(raw.runs as Record<string, string>) },
  };
}
