// Words for run events in the timeline: reasons, phases, limits and durations.
import type { AgentInfo, RunRecord, StopReason } from "../../domain/run";
import type { RunPhase } from "../../state/run-store";

export const PHASE_LABELS: Record<RunPhase, string> = {
  idle: "No run yet",
  preparing: "Resetting Linux and setting the task up…",
  running: "Agent at work",
  grading: "Grading…",
  stopping: "Stopped: putting Linux back as it was…",
  done: "Run finished",
};

export const STOP_REASONS: Record<StopReason, string> = {
  finished: "The agent said it was done",
  limit: "The run hit a limit",
  stopped: "Stopped by you",
  stuck: "Stopped on a failure warning",
  "provider-error": "The model provider failed",
  "vm-error": "The VM stopped answering",
  "internal-error": "OpsLab failed",
  "no-action": "The agent stopped acting",
};

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function dollars(usd: number | null): string {
  if (usd === null) return "no price";
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** A run with an end: one still going (in another tab) or interrupted is not shared as if whole. */
export const hasEnded = (run: RunRecord) => run.events.some((e) => e.type === "finished");

/** The reasoning a run asked for, in a few words ("effort high, thinking up to 24,000 tokens"); "" when none. */
export function describeReasoning(agent: AgentInfo): string {
  const { reasoning } = agent;
  if (!reasoning) return "";
  const budget = reasoning.thinkingBudgetTokens;
  return `effort ${reasoning.effort}${budget ? `, thinking up to ${budget.toLocaleString("en-US")} tokens` : ""}`;
}

/** Tokens with their reasoning share where it was counted ("1,200 (800 reasoning)"). */
export function tokensWithReasoning(total: number, reasoning: number | undefined): string {
  const all = total.toLocaleString("en-US");
  return reasoning === undefined ? all : `${all} (${reasoning.toLocaleString("en-US")} reasoning)`;
}
