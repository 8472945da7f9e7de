// Reasoning models: the effort a model is asked for, Anthropic's thinking budgets, and the output a turn may use.
import { REASONING_EFFORTS, type ReasoningEffort, type RunRecord } from "../domain/run";
import type { ProviderKind } from "./providers/presets";

export { REASONING_EFFORTS, type ReasoningEffort };
/** The setting: "off" asks for nothing (no thinking for Anthropic, the model's own default elsewhere). */
export type EffortSetting = "off" | ReasoningEffort;
export const EFFORT_SETTINGS: readonly EffortSetting[] = ["off", ...REASONING_EFFORTS];

/** What a run asked of a reasoning model, as its record keeps it. */
export type ReasoningRequest = NonNullable<RunRecord["agent"]["reasoning"]>;

/**
 * Anthropic's thinking budget (tokens) for each effort. NOTE: 1,024 is the API's least budget; high
 * stays under 32,000 so that the budget plus the answer fits every Claude 4 model's output.
 */
export const THINKING_BUDGET_TOKENS: Record<ReasoningEffort, number> = {
  minimal: 1_024,
  low: 4_096,
  medium: 12_000,
  high: 24_000,
};
/** Output tokens a turn may use for its answer (text and tool calls), beyond any thinking. */
export const ANSWER_TOKENS_PER_TURN = 4_096;
/**
 * Output tokens a turn of a reasoning model may use when it manages its own thinking (OpenAI's
 * reasoning models, Claude's adaptive thinking): its reasoning counts in them.
 */
export const REASONING_TOKENS_PER_TURN = 32_000;
/**
 * Output tokens a turn may use on an OpenAI-compatible server asked for reasoning. NOTE: kept below
 * 32k: vLLM refuses a request whose prompt plus max_tokens exceeds the model's context.
 */
export const COMPATIBLE_REASONING_TOKENS_PER_TURN = 16_384;
/** The most a person may set as the output of one turn. */
export const MAX_OUTPUT_TOKENS_CAP = 200_000;

/** The model's name without a "vendor/" part ("openai/o4-mini" -> "o4-mini"). */
const bareName = (model: string): string => model.slice(model.lastIndexOf("/") + 1).trim();

/** OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…): they take reasoning_effort. */
export function isOpenAiReasoningModel(model: string): boolean {
  const name = bareName(model).toLowerCase();
  return /^o\d/.test(name) || (/^gpt-5/.test(name) && !name.includes("chat"));
}

/** A Claude model's family and version from its id ("claude-opus-4-7" -> 4.7), or undefined. */
function claudeVersion(model: string): number | undefined {
  const name = bareName(model).toLowerCase();
  if (/^claude-3-7-sonnet/.test(name)) return 3.7;
  if (/^claude-mythos-preview/.test(name)) return 5;
  // NOTE: a minor version has one or two digits; eight are a date ("claude-sonnet-4-20250514").
  const match = /^claude-[a-z]+-(\d+)(?:-(\d{1,2}))?(?:-|$)/.exec(name);
  if (!match) return undefined;
  return Number(match[1]) + Number(match[2] ?? 0) / 10;
}

/** Claude models that think (3.7 Sonnet and the Claude 4 family onwards). */
export function supportsThinking(model: string): boolean {
  return (claudeVersion(model) ?? 0) >= 3.7;
}

/**
 * Claude models that take adaptive thinking with an effort (4.6 onwards). NOTE: Opus 4.7 and later
 * refuse a fixed thinking budget ("enabled"), and 4.6 has deprecated it.
 */
export function usesAdaptiveThinking(model: string): boolean {
  return (claudeVersion(model) ?? 0) >= 4.6;
}

/** What the effort setting does for this provider and model, for Settings. */
export function effortHint(kind: ProviderKind, model: string, effort: EffortSetting): string {
  const named = model || "This model";
  if (kind === "anthropic") {
    if (effort === "off") return "No extended thinking.";
    const request = reasoningRequest(kind, model, effort);
    const how = request?.thinkingBudgetTokens
      ? `Extended thinking, up to ${request.thinkingBudgetTokens.toLocaleString("en-US")} tokens a turn.`
      : `Adaptive thinking at effort ${request?.effort}.`;
    return supportsThinking(model) ? how : `${how} ${named} may not think: Anthropic will say so.`;
  }
  if (kind === "openai") {
    if (!isOpenAiReasoningModel(model))
      return effort === "off"
        ? "Not a reasoning model."
        : `${named} is not a reasoning model: OpenAI will refuse reasoning_effort.`;
    if (effort === "off") return "reasoning_effort not sent: the model's own default.";
    return effort === "minimal" && !/^gpt-5/.test(bareName(model).toLowerCase())
      ? `reasoning_effort: minimal, which only GPT-5 models take: OpenAI will refuse it for ${named}.`
      : `reasoning_effort: ${effort}.`;
  }
  return effort === "off"
    ? "reasoning_effort not sent."
    : `reasoning_effort: ${effort} (for servers and models that take it; others may refuse it).`;
}

/** The reasoning a client asks for, or undefined when it asks for none. */
export function reasoningRequest(
  kind: ProviderKind,
  model: string,
  effort: EffortSetting,
): ReasoningRequest | undefined {
  if (effort === "off") return undefined;
  if (kind !== "anthropic" || usesAdaptiveThinking(model)) return { effort };
  return { effort, thinkingBudgetTokens: THINKING_BUDGET_TOKENS[effort] };
}

/**
 * The output tokens one turn may use: the person's own number when set (> 0), else what fits the
 * model: a thinking budget plus the answer, a reasoning model's larger allowance, or the answer alone.
 */
export function outputTokensPerTurn(
  kind: ProviderKind,
  model: string,
  reasoning: ReasoningRequest | undefined,
  own = 0,
): number {
  if (own > 0) return own;
  if (reasoning?.thinkingBudgetTokens)
    return reasoning.thinkingBudgetTokens + ANSWER_TOKENS_PER_TURN;
  if (kind === "anthropic") return reasoning ? REASONING_TOKENS_PER_TURN : ANSWER_TOKENS_PER_TURN;
  if (kind === "openai" && (reasoning || isOpenAiReasoningModel(model)))
    return REASONING_TOKENS_PER_TURN;
  if (kind === "openai-compatible" && (reasoning || isOpenAiReasoningModel(model)))
    return COMPATIBLE_REASONING_TOKENS_PER_TURN;
  return ANSWER_TOKENS_PER_TURN;
}
