// The suite command line as plain data: flags read and checked, with errors that say what to do.
import { parseArgs } from "node:util";
import { PROVIDER_PRESETS, type ProviderKind } from "../../agent/providers/presets";
import { EFFORT_SETTINGS } from "../../agent/reasoning";
import type { ReasoningEffort } from "../../domain/run";
import { POLICY_PRESETS, type CommandPolicy } from "../../domain/policy/judge";
import { choosePolicy } from "../../domain/policy/choice";
import { parseShard, ShardError } from "../../domain/suite";
import { ISOLATIONS, type Isolation } from "../../tasks/job-pool";

export const USAGE = `usage: npm run suite -- --tasks <glob|domain|all>[,...] [--agent oracle|model]
         [--provider <id>] [--model NAME[,NAME...]] [--base-url URL] [--tool-mode native|text]
         [--policy none|read-only|no-destructive[,...]] [--effort off|minimal|low|medium|high[,...]]
         [--max-steps N] [--max-cost USD] [--trials K] [--jobs N] [--shard i/n]
         [--isolation process|thread|inline] [--name TEXT] [--tasks-dir DIR] [--out results.json]
       npm run suite -- merge a.json b.json... [--out all.json]
--policy and --effort are axes: every model (or the oracle) runs under each policy and effort given
(README "Suites"); --effort is for --agent model only.
The API key is read from the OPSLAB_API_KEY environment variable (never from a flag).
Providers: ${PROVIDER_PRESETS.map((p) => p.id).join(", ")}.`;

/** NOTE: the key's only way in: environment variables stay out of shell history and process lists. */
export const KEY_VARIABLE = "OPSLAB_API_KEY";

/** Measured with `npm run bench:suite` (README, "Suites"): see bench/suite.bench.ts. */
export const DEFAULT_ISOLATION: Isolation = "process";

export const DEFAULT_OUT = "results.json";
/** Dollars a model run may spend unless --max-cost says otherwise, as `npm run agent`. */
const DEFAULT_MAX_COST_USD = 1;

export class UsageError extends Error {
  constructor(detail: string) {
    super(`${detail}\n${USAGE}`);
    this.name = "UsageError";
  }
}

/** How a model is reached (never the key: workers read that from the environment themselves). */
export interface ModelAgentConfig {
  presetId: string;
  kind: ProviderKind;
  baseUrl: string;
  toolMode: "native" | "text";
}

export interface RunArgs {
  command: "run";
  /** The --tasks patterns: "all", a domain, or globs over "domain/slug" and task folders. */
  tasks: string[];
  agent: "oracle" | "model";
  /** Set when agent is "model". */
  model?: ModelAgentConfig;
  /** One or more models (the suite's agents); ["reference"] for the oracle. */
  models: string[];
  /** The --policy axis, in the order given: undefined is no policy ("none"). */
  policies: (CommandPolicy | undefined)[];
  /** The --effort axis, in the order given: undefined is none asked ("off"). */
  efforts: (ReasoningEffort | undefined)[];
  maxSteps?: number;
  maxCostUsd: number;
  trials: number;
  jobs: number;
  shard: { index: number; count: number };
  isolation: Isolation;
  name?: string;
  tasksDir?: string;
  out: string;
}

export interface MergeArgs {
  command: "merge";
  files: string[];
  out: string;
}

export type SuiteArgs = RunArgs | MergeArgs | { command: "help" };

function wholeNumber(flag: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min)
    throw new UsageError(`--${flag} wants a whole number >= ${min}, not "${text}"`);
  return value;
}

const OPTIONS = {
  tasks: { type: "string", multiple: true },
  agent: { type: "string" },
  provider: { type: "string" },
  model: { type: "string", multiple: true },
  "base-url": { type: "string" },
  "tool-mode": { type: "string" },
  policy: { type: "string", multiple: true },
  effort: { type: "string", multiple: true },
  "max-steps": { type: "string" },
  "max-cost": { type: "string" },
  trials: { type: "string" },
  jobs: { type: "string" },
  shard: { type: "string" },
  isolation: { type: "string" },
  name: { type: "string" },
  "tasks-dir": { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    const message = (error as Error).message;
    if (/key|token|secret/i.test(message.split("'")[1] ?? ""))
      throw new UsageError(
        `the API key is never a flag: set ${KEY_VARIABLE} in the environment instead`,
      );
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ""));
  }
}

const splitList = (values: readonly string[] | undefined): string[] =>
  (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim());

/** The --policy list (default: none alone), each preset once. */
function policyAxis(values: readonly string[] | undefined): (CommandPolicy | undefined)[] {
  const names = [...new Set(splitList(values))];
  if (names.length === 0) return [undefined];
  return names.map((name) => {
    const chosen = choosePolicy(name);
    if ("error" in chosen)
      throw new UsageError(`--policy is a list of ${POLICY_PRESETS.join(", ")}, not "${name}"`);
    return chosen.policy;
  });
}

/** The --effort list (default: off alone), each effort once. */
function effortAxis(values: readonly string[] | undefined): (ReasoningEffort | undefined)[] {
  const names = [...new Set(splitList(values))];
  if (names.length === 0) return [undefined];
  return names.map((name) => {
    if (!(EFFORT_SETTINGS as readonly string[]).includes(name))
      throw new UsageError(`--effort is a list of ${EFFORT_SETTINGS.join(", ")}, not "${name}"`);
    return name === "off" ? undefined : (name as ReasoningEffort);
  });
}

/** Reads the suite command line; throws UsageError for anything it cannot run. */
export function parseSuiteArgs(argv: string[]): SuiteArgs {
  const { values, positionals } = parseFlags(argv);
  if (values.help) return { command: "help" };
  const out = values.out ?? DEFAULT_OUT;
  if (positionals[0] === "merge") {
    const files = positionals.slice(1);
    if (files.length === 0) throw new UsageError("merge: name the results files to merge");
    return { command: "merge", files, out };
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const tasks = splitList(values.tasks);
  if (tasks.length === 0 || tasks.some((t) => !t))
    throw new UsageError("--tasks names the tasks: all, a domain, or a glob such as sysadmin/*");
  const agent = values.agent ?? "oracle";
  if (agent !== "oracle" && agent !== "model")
    throw new UsageError(`--agent is oracle or model, not "${agent}"`);
  let shard;
  try {
    shard = parseShard(values.shard ?? "1/1");
  } catch (error) {
    if (error instanceof ShardError) throw new UsageError(`--shard: ${error.message}`);
    throw error;
  }
  const isolation = values.isolation ?? DEFAULT_ISOLATION;
  if (!(ISOLATIONS as readonly string[]).includes(isolation))
    throw new UsageError(`--isolation is ${ISOLATIONS.join(", ")}, not "${isolation}"`);
  const maxCostUsd =
    values["max-cost"] === undefined ? DEFAULT_MAX_COST_USD : Number(values["max-cost"]);
  if (!Number.isFinite(maxCostUsd) || maxCostUsd < 0)
    throw new UsageError(`--max-cost wants dollars >= 0 (0: no cap), not "${values["max-cost"]}"`);
  const common = {
    command: "run" as const,
    tasks,
    trials: wholeNumber("trials", values.trials, 1),
    jobs: wholeNumber("jobs", values.jobs, 1),
    shard,
    isolation: isolation as Isolation,
    maxCostUsd,
    out,
    policies: policyAxis(values.policy),
    ...(values["max-steps"] !== undefined && {
      maxSteps: wholeNumber("max-steps", values["max-steps"], 0),
    }),
    ...(values.name !== undefined && { name: values.name }),
    ...(values["tasks-dir"] !== undefined && { tasksDir: values["tasks-dir"] }),
  };
  if (agent === "oracle") {
    for (const flag of ["provider", "model", "base-url", "tool-mode", "effort"] as const)
      if (values[flag] !== undefined)
        throw new UsageError(
          `--${flag} is for --agent model; the oracle plays the reference solution`,
        );
    return { ...common, agent, models: ["reference"], efforts: [undefined] };
  }
  return { ...common, agent, efforts: effortAxis(values.effort), ...modelAgent(values) };
}

function modelAgent(values: {
  provider?: string;
  model?: string[];
  "base-url"?: string;
  "tool-mode"?: string;
}): { model: ModelAgentConfig; models: string[] } {
  const presetId = values.provider ?? "openai";
  const preset = PROVIDER_PRESETS.find((p) => p.id === presetId);
  if (!preset)
    throw new UsageError(
      `--provider is one of ${PROVIDER_PRESETS.map((p) => p.id).join(", ")}, not "${presetId}"`,
    );
  const baseUrl = values["base-url"] ?? preset.baseUrl;
  if (!baseUrl) throw new UsageError(`--provider ${presetId} needs --base-url`);
  const toolMode = values["tool-mode"] ?? "native";
  if (toolMode !== "native" && toolMode !== "text")
    throw new UsageError(`--tool-mode is native or text, not "${toolMode}"`);
  const models = splitList(values.model);
  if (models.some((m) => !m)) throw new UsageError("--model has an empty name");
  if (models.length === 0 && !preset.defaultModel)
    throw new UsageError(`--provider ${presetId} needs --model`);
  return {
    model: { presetId, kind: preset.kind, baseUrl, toolMode },
    models: models.length ? [...new Set(models)] : [preset.defaultModel],
  };
}

/** Whether an endpoint runs on this machine (a local model server needs no key). */
export function isLocalEndpoint(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
  } catch {
    return false;
  }
}
