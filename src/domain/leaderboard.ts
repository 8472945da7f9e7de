// Suite results as numbers: per agent setup and overall, by domain and difficulty; pass@k, damage, refusals, steps, tokens, cost, time; a policy against none.
import type { RunRecord } from "./run";
import { TASK_DIFFICULTIES, TASK_DOMAINS } from "./task";
import {
  agentKey,
  normalSetup,
  passAtK,
  policyName,
  suiteItems,
  itemKey,
  type SuiteAgent,
  type SuiteRecord,
} from "./suite";

/**
 * Whether a run did damage, as its failure labels say (analysis/damage.ts; the domain cannot label
 * runs itself). Results made without one leave damage unknown (null).
 */
export type DamageJudge = (run: RunRecord) => boolean;

/** One run counted in the results: who ran which task, and the run. */
export interface ResultEntry {
  agent: SuiteAgent;
  run: RunRecord;
}

/** The figures of one group of runs (an agent, a domain, a difficulty, everything). */
export interface GroupResults {
  runs: number;
  /** Runs whose verdict is "pass". */
  passes: number;
  /** Runs the grader would have passed but the agent tampered with what grading relies on. */
  tampered: number;
  /** Runs without a verdict (the VM was lost, stopped during setup): counted as not passed. */
  ungraded: number;
  /** Distinct tasks among the runs. */
  tasks: number;
  /** Runs labelled as damage (DamageJudge); null when no judge was given. */
  damaged: number | null;
  /** damaged / runs; null without runs or without a judge. */
  damageRate: number | null;
  /** Calls the run's command policy refused, over all the runs. */
  refusedCalls: number;
  /** refusedCalls / runs; null without runs. */
  meanRefused: number | null;
  /** pass@1: the mean over tasks of each task's pass rate (null without runs). */
  passAt1: number | null;
  /**
   * pass@k for k = 1..trials (index k − 1): the unbiased estimator per task, averaged over tasks.
   * NOTE: null for a k that some task of the group has fewer than k runs for (a suite not finished):
   * averaging only the tasks that have enough runs would compare different sets of tasks.
   */
  passAtK: (number | null)[];
  meanSteps: number | null;
  totalTokens: number;
  meanTokens: number | null;
  /** Dollars over the runs that have a price; null when none has (a model without a price). */
  totalCostUsd: number | null;
  meanCostUsd: number | null;
  /** Runs whose model has no price: their cost is unknown and left out of the cost figures. */
  unpricedRuns: number;
  totalDurationMs: number;
  meanDurationMs: number | null;
}

/** What the charts draw: one value per run, in the order of the runs. */
export interface Distributions {
  steps: number[];
  /** Priced runs only. */
  costUsd: number[];
  durationMs: number[];
}

/** A group's figures, and the same broken down by task domain and by difficulty. */
export interface Breakdown {
  all: GroupResults;
  /** Only the domains and difficulties that have runs, in TASK_DOMAINS / TASK_DIFFICULTIES order. */
  byDomain: Record<string, GroupResults>;
  byDifficulty: Record<string, GroupResults>;
  distributions: Distributions;
}

export interface AgentResults extends Breakdown {
  agent: SuiteAgent;
  /** agentKey(agent): "provider/model". */
  key: string;
}

export interface Leaderboard {
  /** The largest k reported (a suite's trials; the most runs of one task by one agent otherwise). */
  trials: number;
  /** Best first: pass@1, then fewer tampered, then mean cost (unpriced last), then the key. */
  agents: AgentResults[];
  overall: Breakdown;
}

const mean = (total: number, count: number): number | null => (count ? total / count : null);

/** Calls of a run that its command policy refused (nothing ran). */
export const refusedCalls = (run: RunRecord): number =>
  run.events.filter((e) => e.type === "tool-result" && e.outcome.kind === "refused").length;

/** The figures of a group of runs; pass@k per task (by task id) for k = 1..trials, averaged. */
export function groupResults(
  runs: readonly RunRecord[],
  trials: number,
  damage?: DamageJudge,
): GroupResults {
  const byTask = new Map<string, { n: number; c: number }>();
  let damaged = 0;
  let refused = 0;
  let passes = 0;
  let tampered = 0;
  let ungraded = 0;
  let steps = 0;
  let tokens = 0;
  let cost = 0;
  let priced = 0;
  let duration = 0;
  for (const run of runs) {
    const { outcome } = run;
    const passed = outcome.verdict === "pass";
    const task = byTask.get(run.task.id) ?? { n: 0, c: 0 };
    task.n++;
    if (passed) task.c++;
    byTask.set(run.task.id, task);
    if (passed) passes++;
    if (outcome.verdict === "tampered") tampered++;
    if (outcome.verdict === null) ungraded++;
    if (damage?.(run)) damaged++;
    refused += refusedCalls(run);
    steps += outcome.steps;
    tokens += outcome.totalTokens;
    if (outcome.costUsd !== null) {
      cost += outcome.costUsd;
      priced++;
    }
    duration += outcome.durationMs;
  }
  const tasks = [...byTask.values()];
  const atK = (k: number): number | null => {
    if (tasks.length === 0 || tasks.some((t) => t.n < k)) return null;
    return tasks.reduce((sum, t) => sum + passAtK(t.n, t.c, k), 0) / tasks.length;
  };
  const passAtKs = Array.from({ length: Math.max(trials, 1) }, (_, i) => atK(i + 1));
  return {
    runs: runs.length,
    passes,
    tampered,
    ungraded,
    tasks: tasks.length,
    damaged: damage ? damaged : null,
    damageRate: damage ? mean(damaged, runs.length) : null,
    refusedCalls: refused,
    meanRefused: mean(refused, runs.length),
    passAt1: passAtKs[0] ?? null,
    passAtK: passAtKs,
    meanSteps: mean(steps, runs.length),
    totalTokens: tokens,
    meanTokens: mean(tokens, runs.length),
    totalCostUsd: priced ? cost : null,
    meanCostUsd: mean(cost, priced),
    unpricedRuns: runs.length - priced,
    totalDurationMs: duration,
    meanDurationMs: mean(duration, runs.length),
  };
}

export function distributions(runs: readonly RunRecord[]): Distributions {
  return {
    steps: runs.map((r) => r.outcome.steps),
    costUsd: runs.flatMap((r) => (r.outcome.costUsd === null ? [] : [r.outcome.costUsd])),
    durationMs: runs.map((r) => r.outcome.durationMs),
  };
}

/** Groups runs by a key, in the order `order` gives (keys not in it follow, sorted). */
function groupBy(
  runs: readonly RunRecord[],
  keyOf: (run: RunRecord) => string,
  order: readonly string[],
): [string, RunRecord[]][] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = keyOf(run);
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  const rank = (key: string): number => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  return [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

export function breakdown(
  runs: readonly RunRecord[],
  trials: number,
  damage?: DamageJudge,
): Breakdown {
  const by = (keyOf: (run: RunRecord) => string, order: readonly string[]) =>
    Object.fromEntries(
      groupBy(runs, keyOf, order).map(([key, group]) => [key, groupResults(group, trials, damage)]),
    );
  return {
    all: groupResults(runs, trials, damage),
    byDomain: by((r) => r.task.domain, TASK_DOMAINS),
    byDifficulty: by((r) => r.task.difficulty, TASK_DIFFICULTIES),
    distributions: distributions(runs),
  };
}

/** Best first: higher pass@1, fewer tampered runs, lower mean cost (unknown last), then by key. */
function compareAgents(a: AgentResults, b: AgentResults): number {
  const pass = (b.all.passAt1 ?? -1) - (a.all.passAt1 ?? -1);
  if (pass) return pass;
  const tampered = a.all.tampered - b.all.tampered;
  if (tampered) return tampered;
  const cost = (a.all.meanCostUsd ?? Infinity) - (b.all.meanCostUsd ?? Infinity);
  if (cost && !Number.isNaN(cost)) return cost;
  return a.key.localeCompare(b.key);
}

/**
 * The leaderboard of any runs: each run counted for the agent setup the entry names. `trials` is the
 * largest k (by default the most runs one setup made of one task); `damage` labels runs as damage.
 */
export function leaderboard(
  entries: readonly ResultEntry[],
  trials?: number,
  damage?: DamageJudge,
): Leaderboard {
  const byAgent = new Map<string, { agent: SuiteAgent; runs: RunRecord[] }>();
  const perTask = new Map<string, number>();
  for (const { agent, run } of entries) {
    const key = agentKey(agent);
    const group = byAgent.get(key) ?? { agent, runs: [] };
    group.runs.push(run);
    byAgent.set(key, group);
    const taskKey = `${key}|${run.task.id}`;
    perTask.set(taskKey, (perTask.get(taskKey) ?? 0) + 1);
  }
  const k = trials ?? Math.max(1, ...perTask.values());
  const agents = [...byAgent].map(([key, { agent, runs }]) => ({
    agent,
    key,
    ...breakdown(runs, k, damage),
  }));
  return {
    trials: k,
    agents: agents.sort(compareAgents),
    overall: breakdown(
      entries.map((e) => e.run),
      k,
      damage,
    ),
  };
}

/** The setup a run ran with, as its record says: provider, model, policy, effort. */
export function setupOfRun(run: RunRecord): SuiteAgent {
  const { provider, model, reasoning } = run.agent;
  const { policy } = run.limits;
  return normalSetup({
    provider,
    model,
    ...(policy && { policy }),
    ...(reasoning && { effort: reasoning.effort }),
  });
}

/** The leaderboard of plain runs (a history), each counted for the setup it ran with. */
export function runsLeaderboard(runs: readonly RunRecord[], damage?: DamageJudge): Leaderboard {
  return leaderboard(
    runs.map((run) => ({ agent: setupOfRun(run), run })),
    undefined,
    damage,
  );
}

/**
 * The leaderboard of a suite: each item's run counted for the agent of the item (the oracle's runs
 * under ORACLE_AGENT), k up to the suite's trials. NOTE: items without a run (pending, or whose run
 * is not in `runsById`) are left out, so a suite in progress shows what it has so far.
 */
export function suiteLeaderboard(
  suite: SuiteRecord,
  runsById: ReadonlyMap<string, RunRecord>,
  damage?: DamageJudge,
): Leaderboard {
  const entries: ResultEntry[] = [];
  for (const item of suiteItems(suite.spec)) {
    const runId = suite.runs[itemKey(item)];
    const run = runId === undefined ? undefined : runsById.get(runId);
    if (run) entries.push({ agent: item.agent, run });
  }
  return leaderboard(entries, suite.spec.trials, damage);
}

/** One setup under a policy against the same model (and effort) under none. */
export interface PolicyComparison {
  /** The setup without a policy: agentKey() of the model and effort. */
  baseKey: string;
  base: AgentResults;
  /** policyName() of the setup's policy. */
  policy: string;
  withPolicy: AgentResults;
  /** pass@1 under the policy minus without; null when either is unknown. */
  passAt1Delta: number | null;
  /** Damage rate under the policy minus without; null when either is unknown. */
  damageRateDelta: number | null;
  /** Refused calls per run under the policy (none are refused without one). */
  meanRefused: number | null;
}

const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/**
 * Each setup with a policy against the same provider, model and effort without one, in the
 * leaderboard's order of the setups without. NOTE: a setup whose model has no run without a policy
 * has nothing to be compared with and is left out.
 */
export function policyComparisons(board: Leaderboard): PolicyComparison[] {
  const bare = (agent: SuiteAgent) => agentKey({ ...agent, policy: undefined });
  const bases = board.agents.filter((a) => !a.agent.policy);
  return bases.flatMap((base) =>
    board.agents
      .filter((a) => a.agent.policy && bare(a.agent) === base.key)
      .map((withPolicy) => ({
        baseKey: base.key,
        base,
        policy: policyName(withPolicy.agent.policy),
        withPolicy,
        passAt1Delta: delta(withPolicy.all.passAt1, base.all.passAt1),
        damageRateDelta: delta(withPolicy.all.damageRate, base.all.damageRate),
        meanRefused: withPolicy.all.meanRefused,
      })),
  );
}
