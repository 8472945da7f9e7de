// Prices per model in dollars per million tokens, editable in Settings; cost of a run's tokens.
import type { TokenUsage } from "./llm";

export interface ModelPrice {
  /** Dollars per million input tokens. */
  inputUsdPerMTok: number;
  /** Dollars per million output tokens. */
  outputUsdPerMTok: number;
}

export type PriceTable = Record<string, ModelPrice>;

/** NOTE: list prices as published by the providers; people can correct them in Settings. */
export const DEFAULT_PRICES: PriceTable = {
  "gpt-5": { inputUsdPerMTok: 1.25, outputUsdPerMTok: 10 },
  "gpt-5-mini": { inputUsdPerMTok: 0.25, outputUsdPerMTok: 2 },
  "gpt-5-nano": { inputUsdPerMTok: 0.05, outputUsdPerMTok: 0.4 },
  "gpt-4.1": { inputUsdPerMTok: 2, outputUsdPerMTok: 8 },
  "gpt-4.1-mini": { inputUsdPerMTok: 0.4, outputUsdPerMTok: 1.6 },
  "gpt-4o": { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 },
  "gpt-4o-mini": { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 },
  "o4-mini": { inputUsdPerMTok: 1.1, outputUsdPerMTok: 4.4 },
  o3: { inputUsdPerMTok: 2, outputUsdPerMTok: 8 },
  "o3-mini": { inputUsdPerMTok: 1.1, outputUsdPerMTok: 4.4 },
  o1: { inputUsdPerMTok: 15, outputUsdPerMTok: 60 },
  "claude-opus-4-1": { inputUsdPerMTok: 15, outputUsdPerMTok: 75 },
  "claude-sonnet-4-5": { inputUsdPerMTok: 3, outputUsdPerMTok: 15 },
  "claude-haiku-4-5": { inputUsdPerMTok: 1, outputUsdPerMTok: 5 },
  "deepseek-chat": { inputUsdPerMTok: 0.28, outputUsdPerMTok: 0.42 },
  "deepseek-reasoner": { inputUsdPerMTok: 0.28, outputUsdPerMTok: 0.42 },
  "mistral-large-latest": { inputUsdPerMTok: 2, outputUsdPerMTok: 6 },
  "gemini-2.5-pro": { inputUsdPerMTok: 1.25, outputUsdPerMTok: 10 },
  "gemini-2.5-flash": { inputUsdPerMTok: 0.3, outputUsdPerMTok: 2.5 },
};

const TOKENS_PER_MILLION = 1_000_000;

/**
 * The price of a model: an exact entry, else the longest entry that prefixes its name once any
 * "vendor/" part is dropped ("openai/gpt-4o-mini-2024-07-18" -> "gpt-4o-mini"), else none.
 */
export function findPrice(model: string, table: PriceTable): ModelPrice | undefined {
  if (table[model]) return table[model];
  const bare = model.slice(model.lastIndexOf("/") + 1);
  const matches = Object.keys(table)
    .filter((name) => bare === name || bare.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length);
  return matches[0] ? table[matches[0]] : undefined;
}

/** Dollars for the given tokens, or null when the model has no price. NOTE: reasoning tokens are among the output tokens and priced as output. */
export function costUsd(model: string, usage: TokenUsage, table: PriceTable): number | null {
  const price = findPrice(model, table);
  if (!price) return null;
  return (
    (usage.inputTokens * price.inputUsdPerMTok + usage.outputTokens * price.outputUsdPerMTok) /
    TOKENS_PER_MILLION
  );
}
