// npm run agent -- [options] <task folder>...: runs an agent on tasks headless in the real VM and grades each run.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { LlmClient } from "../agent/llm";
import type { AgentEvent } from "../agent/loop";
import { createOracleClient } from "../agent/oracle";
import { DEFAULT_PRICES } from "../agent/prices";
import { createLlmClient, type ProviderConfig } from "../agent/providers/create-client";
import { PROVIDER_PRESETS, type ProviderKind } from "../agent/providers/presets";
import { EFFORT_SETTINGS, type EffortSetting } from "../agent/reasoning";
import {
  describeApproval,
  describeApprovalSetting,
  type ApprovalSetting,
} from "../domain/approval";
import { choosePolicy, describePolicy } from "../domain/policy/choice";
import type { CommandPolicy } from "../domain/policy/judge";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import { limitsForTask, recordRun, runTaskWithAgent } from "../tasks/agent-run";
import { explainAndPrint } from "./explain-output";
import { chooseApproval, terminalApprover } from "./terminal-approver";
import { loadTaskFolder } from "../tasks/node-loader";
import { FileTaskStateCache } from "../tasks/node-state-cache";
import type { ReadyTaskOptions } from "../tasks/task-state";
import type { Vm } from "../vm/vm";
import { readImageManifest, startNodeVm } from "../vm/driver/node-vm";

const USAGE = `usage: npm run agent -- [--agent oracle|model] [--provider openai|anthropic|openai-compatible]
       [--base-url URL] [--model NAME] [--tool-mode native|text] [--effort off|minimal|low|medium|high]
       [--max-output TOKENS] [--max-steps N] [--max-cost USD]
       [--stop-on-warning] [--repeat N] [--out DIR] [--explain] [--json]
       [--policy none|read-only|no-destructive] [--allow RULE]... [--deny RULE]...
       [--approve every|unjudged] [--auto-approve read-only|policy-allow]... [--approval-timeout S]
       <task folder>...
--effort: OpenAI's reasoning_effort, Anthropic's thinking (see the README, "Reasoning models"); off by default.
--max-output: output tokens per turn, thinking included (default: what fits the model).
--policy: what the agent may run (README "Command policies"); --allow/--deny add rules such as
  --deny 'systemctl stop *' (a program and its first arguments, each a glob; deny wins over allow).
--approve: approval mode (README "Approval mode"): each command (every), or each the policy cannot
  judge (unjudged), waits for you on this terminal: y, n [message to the agent], or e to edit it;
  --auto-approve approves read-only commands or the policy's allow rules unasked; --approval-timeout
  rejects a call nobody answered after S seconds (default 120; 0 waits forever). Needs a terminal.
--explain: after a run that did not pass, find where it went wrong (npm run explain-run does the same for saved runs).
The API key is read from the OPSLAB_API_KEY environment variable (never from a flag).`;
/** NOTE: the key's only way in: environment variables stay out of shell history and process lists. */
const KEY_VARIABLE = "OPSLAB_API_KEY";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    agent: { type: "string", default: "model" },
    provider: { type: "string", default: "openai" },
    "base-url": { type: "string" },
    model: { type: "string" },
    "tool-mode": { type: "string", default: "native" },
    effort: { type: "string", default: "off" },
    "max-output": { type: "string", default: "0" },
    "max-steps": { type: "string" },
    "max-cost": { type: "string", default: "1" },
    "stop-on-warning": { type: "boolean" },
    repeat: { type: "string", default: "1" },
    out: { type: "string" },
    explain: { type: "boolean" },
    json: { type: "boolean" },
    policy: { type: "string", default: "none" },
    allow: { type: "string", multiple: true, default: [] },
    deny: { type: "string", multiple: true, default: [] },
    approve: { type: "string" },
    "auto-approve": { type: "string", multiple: true, default: [] },
    "approval-timeout": { type: "string" },
    help: { type: "boolean" },
  },
});

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** Characters of a thought printed on its one line. */
const THOUGHT_CHARS = 160;
const oneLine = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > THOUGHT_CHARS ? `${flat.slice(0, THOUGHT_CHARS)}…` : flat;
};

function describe(event: AgentEvent): string | undefined {
  switch (event.type) {
    case "setup":
      return `  ${event.fromSavedState ? "restored from its saved state" : "set up"} in ${event.durationMs} ms${event.note ? ` (${event.note})` : ""}`;
    case "tool-call":
      if (event.input.tool === "run_command") return `  [${event.step}] $ ${event.input.command}`;
      if (event.input.tool === "write_file") return `  [${event.step}] write ${event.input.path}`;
      if (event.input.tool === "invalid")
        return `  [${event.step}] malformed call: ${event.input.problem}`;
      return undefined;
    case "approval":
      return `      ${event.by === "rule" ? "" : "you: "}${describeApproval(event)}`;
    case "tool-result":
      if (event.outcome.kind === "failed") return `      failed: ${event.outcome.message}`;
      if (event.outcome.kind === "refused")
        return `      REFUSED by the policy${event.outcome.unjudged ? " (cannot judge)" : ""}: ${event.outcome.part}: ${event.outcome.reason}`;
      return event.outcome.kind === "command"
        ? `      exit ${event.outcome.exitCode} (${event.outcome.durationMs} ms)${event.outcome.timedOut ? " timed out" : ""}`
        : undefined;
    case "reasoning":
      if (event.kind === "redacted-thinking") return "  (thinking: redacted by the provider)";
      return event.kind === "thinking" ? `  (thinking: ${oneLine(event.text)})` : undefined;
    case "warning":
      return `  ! ${event.label}: ${event.message}`;
    case "retry":
    case "limit":
    case "error":
      return `  ${event.type}: ${event.message}`;
    case "finished":
      return `  finished: ${event.reason}${event.summary ? ` (${event.summary})` : ""}`;
    case "graded": {
      const tampering = event.grade.integrity?.findings.map((f) => `    TAMPERED: ${f.detail}`);
      const checks = event.grade.checks.map((c) => `    ${c.passed ? "PASS" : "FAIL"}: ${c.text}`);
      return [...(tampering ?? []), ...checks].join("\n");
    }
    default:
      return undefined;
  }
}

/** What the command line asks for, checked. */
interface AgentRunOptions {
  agent: "oracle" | "model";
  /** The model's provider (unused by the oracle). */
  provider: ProviderConfig;
  apiKey: string;
  repeat: number;
  maxCostUsd: number;
  maxSteps: number | undefined;
  policy: CommandPolicy | undefined;
  approval: ApprovalSetting | undefined;
}

/** Reads and checks the flags; a wrong one ends the process with what is wrong and the usage. */
function readOptions(): AgentRunOptions {
  if (positionals.length === 0) fail("name at least one task folder");
  const agent = values.agent;
  if (agent !== "oracle" && agent !== "model") fail(`--agent is oracle or model, not "${agent}"`);
  // NOTE: checked in the order of the usage's lines: of several wrong flags, the first is named.
  const provider = readProvider();
  const repeatAndLimits = readRepeatAndLimits();
  const chosen = choosePolicy(values.policy, values.allow, values.deny);
  if ("error" in chosen) fail(chosen.error);
  return {
    agent,
    provider,
    apiKey: process.env[KEY_VARIABLE] ?? "",
    ...repeatAndLimits,
    policy: chosen.policy,
    approval: readApproval(),
  };
}

/** The provider and model flags. */
function readProvider(): ProviderConfig {
  const kind = values.provider as ProviderKind;
  const preset = PROVIDER_PRESETS.find((p) => p.kind === kind);
  if (!preset) fail(`--provider is openai, anthropic or openai-compatible, not "${kind}"`);
  const toolMode = values["tool-mode"];
  if (toolMode !== "native" && toolMode !== "text") fail("--tool-mode is native or text");
  const effort = values.effort as EffortSetting;
  if (!EFFORT_SETTINGS.includes(effort))
    fail(`--effort is ${EFFORT_SETTINGS.join(", ")}, not "${values.effort}"`);
  const maxOutputTokensPerTurn = Number(values["max-output"]);
  if (!Number.isInteger(maxOutputTokensPerTurn) || maxOutputTokensPerTurn < 0)
    fail("--max-output wants a whole number of tokens (0: what fits the model)");
  return {
    kind,
    baseUrl: values["base-url"] ?? preset.baseUrl,
    model: values.model ?? preset.defaultModel,
    toolMode,
    effort,
    maxOutputTokensPerTurn,
  };
}

/** How many rounds of each task, and the limits of a run. */
function readRepeatAndLimits(): Pick<AgentRunOptions, "repeat" | "maxCostUsd" | "maxSteps"> {
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) fail("--repeat wants a whole number >= 1");
  const maxCostUsd = Number(values["max-cost"]);
  const maxSteps = values["max-steps"] === undefined ? undefined : Number(values["max-steps"]);
  return { repeat, maxCostUsd, maxSteps };
}

/** The approval flags (undefined without --approve), which need a terminal to ask on. */
function readApproval(): ApprovalSetting | undefined {
  const approval = chooseApproval({
    approve: values.approve,
    autoApprove: values["auto-approve"],
    timeout: values["approval-timeout"],
  });
  if ("error" in approval) fail(approval.error);
  if (approval.setting && !process.stdin.isTTY)
    fail(
      "--approve asks you on the terminal, but stdin is not one (a pipe or CI): run it in a terminal, or leave --approve out",
    );
  if (approval.setting && values.json)
    fail("--approve prints its questions: leave --json out to answer them");
  return approval.setting;
}

/** The agent of one run: the oracle replaying the task's solution, or the model through its provider. */
function makeClient(options: AgentRunOptions, task: TaskBundle): LlmClient {
  return options.agent === "oracle"
    ? createOracleClient(task.solutionScript)
    : createLlmClient(options.provider, options.apiKey);
}

/** What one run needs beside its task and round. */
interface RunContext {
  options: AgentRunOptions;
  vm: Vm;
  stateCache: ReadyTaskOptions;
  person: ReturnType<typeof terminalApprover> | undefined;
}

/**
 * Runs the agent once on `task` and grades it, printing its events as they come (not with --json);
 * writes the record to --out, and with --explain finds where a failed run went wrong.
 */
async function runOnce(
  { options, vm, stateCache, person }: RunContext,
  task: TaskBundle,
  round: number,
): Promise<RunRecord> {
  const { apiKey, maxCostUsd, maxSteps, policy, approval, repeat } = options;
  const client = makeClient(options, task);
  const limits = {
    ...limitsForTask(task, { maxCostUsd, ...(maxSteps && { maxSteps }) }),
    ...(policy && { policy }),
    ...(approval && { approval }),
  };
  if (!values.json)
    console.log(
      `${task.meta.id} (round ${round}/${repeat}, ${client.model}${client.reasoning ? `, effort ${client.reasoning.effort}` : ""}, policy ${describePolicy(policy)}${approval ? `, approval ${describeApprovalSetting(approval)}` : ""})`,
    );
  const events: AgentEvent[] = [];
  for await (const event of runTaskWithAgent({
    vm,
    task,
    client,
    limits,
    prices: DEFAULT_PRICES,
    stopOnWarning: values["stop-on-warning"] ?? false,
    secrets: apiKey ? [apiKey] : [],
    stateCache,
    ...(person && { approve: person.approve }),
  })) {
    events.push(event);
    const line = values.json ? undefined : describe(event);
    if (line) console.log(line);
  }
  const record = recordRun(crypto.randomUUID(), new Date(), task, client, limits, events);
  if (values.out) {
    await mkdir(values.out, { recursive: true });
    await writeFile(join(values.out, `${record.id}.json`), JSON.stringify(record, null, 2));
  }
  if (values.explain && !record.outcome.passed) {
    if (!values.json) console.log("  explaining where it went wrong:");
    await explainAndPrint({ vm, task, record, stateCache, print: !values.json });
  }
  return record;
}

/** Prints the runs' outcomes: one JSON line with --json, else a count and a line a run. */
function printOutcomes(records: RunRecord[]): void {
  if (values.json) {
    console.log(JSON.stringify(records.map((r) => ({ task: r.task.id, ...r.outcome }))));
    return;
  }
  const passed = records.filter((r) => r.outcome.passed).length;
  console.log(`\n${passed}/${records.length} runs passed`);
  for (const r of records) {
    const o = r.outcome;
    console.log(
      `${o.verdict === "tampered" ? "TAMPERED" : o.passed ? "pass" : "FAIL"} ${r.task.id.padEnd(30)} ${String(o.reason).padEnd(15)} ${o.steps} steps ${o.totalTokens} tokens ${o.reasoningTokens === undefined ? "" : `(${o.reasoningTokens} reasoning) `}${o.costUsd === null ? "" : `$${o.costUsd.toFixed(4)} `}${Math.round(o.durationMs / 1000)} s`,
    );
  }
}

async function main(): Promise<number> {
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const options = readOptions();
  const person = options.approval ? terminalApprover(process.stdin, process.stdout) : undefined;
  const tasks: TaskBundle[] = [];
  for (const folder of positionals) tasks.push(await loadTaskFolder(resolve(folder)));
  const vm = await startNodeVm();
  const stateCache = {
    cache: new FileTaskStateCache(),
    imageId: (await readImageManifest()).imageId,
  };
  const records: RunRecord[] = [];
  try {
    for (const task of tasks)
      for (let round = 1; round <= options.repeat; round++)
        records.push(await runOnce({ options, vm, stateCache, person }, task, round));
  } finally {
    person?.close();
    await vm.destroy();
  }
  printOutcomes(records);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`agent: ${(error as Error).message}`);
    process.exit(1);
  },
);
