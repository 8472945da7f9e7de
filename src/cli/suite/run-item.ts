// Runs one suite item in a VM through the same event stream as `npm run agent` (agent-run), into a stored run.
import { randomUUID } from "node:crypto";
import type { AgentEvent } from "../../agent/loop";
import type { LlmClient } from "../../agent/llm";
import { createOracleClient } from "../../agent/oracle";
import { DEFAULT_PRICES } from "../../agent/prices";
import { createLlmClient } from "../../agent/providers/create-client";
import type { RunRecord } from "../../domain/run";
import type { SuiteItem } from "../../domain/suite";
import type { TaskBundle } from "../../domain/task";
import { agentInfo, limitsForTask, recordRun, runTaskWithAgent } from "../../tasks/agent-run";
import type { ReadyTaskOptions } from "../../tasks/task-state";
import type { Vm } from "../../vm/vm";
import { KEY_VARIABLE, type ModelAgentConfig } from "./args";

/** What every item of a run shares; plain data, so it crosses to a worker thread or process. */
export interface ItemSettings {
  /** Absent for the oracle. */
  model?: ModelAgentConfig;
  maxSteps?: number;
  maxCostUsd: number;
}

/**
 * The API key, read where the run happens. NOTE: never passed in a message, a flag or a file: a
 * worker thread shares this process's environment and a child process inherits it.
 */
export const apiKeyFromEnv = (): string => process.env[KEY_VARIABLE] ?? "";

function clientFor(
  task: TaskBundle,
  item: SuiteItem,
  settings: ItemSettings,
  apiKey: string,
): LlmClient {
  if (!settings.model) return createOracleClient(task.solutionScript);
  const { kind, baseUrl, toolMode } = settings.model;
  const { model, effort } = item.agent;
  return createLlmClient({ kind, baseUrl, model, toolMode, ...(effort && { effort }) }, apiKey);
}

/**
 * Runs `item` of `task` in `vm` and records it, under the item's policy and effort. The run names
 * the suite's agent (the oracle's as provider "oracle", model "reference"), so a history of plain
 * runs counts it as the suite does.
 */
export async function runSuiteItem(
  vm: Vm,
  task: TaskBundle,
  item: SuiteItem,
  settings: ItemSettings,
  stateCache?: ReadyTaskOptions,
): Promise<RunRecord> {
  const apiKey = settings.model ? apiKeyFromEnv() : "";
  const client = clientFor(task, item, settings, apiKey);
  const limits = {
    ...limitsForTask(task, {
      maxCostUsd: settings.maxCostUsd,
      ...(settings.maxSteps && { maxSteps: settings.maxSteps }),
    }),
    ...(item.agent.policy && { policy: item.agent.policy }),
  };
  const events: AgentEvent[] = [];
  const createdAt = new Date();
  for await (const event of runTaskWithAgent({
    vm,
    task,
    client,
    limits,
    prices: DEFAULT_PRICES,
    secrets: apiKey ? [apiKey] : [],
    ...(stateCache && { stateCache }),
  }))
    events.push(event);
  const named = { ...agentInfo(client), provider: item.agent.provider, model: item.agent.model };
  return recordRun(randomUUID(), createdAt, task, named, limits, events);
}
