// Unit tests of model prices and run cost.
import { describe, expect, it } from "vitest";
import { costUsd, findPrice } from "./prices";

const table = {
  "gpt-4o": { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 },
  "gpt-4o-mini": { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 },
};

describe("prices", () => {
  it("finds a model by exact name, by dated name and behind a vendor prefix", () => {
    expect(findPrice("gpt-4o", table)).toBe(table["gpt-4o"]);
    expect(findPrice("gpt-4o-mini-2024-07-18", table)).toBe(table["gpt-4o-mini"]);
    expect(findPrice("openai/gpt-4o-2024-08-06", table)).toBe(table["gpt-4o"]);
    expect(findPrice("llama3.1:8b", table)).toBeUndefined();
  });

  it("prices tokens per million, and has no price for unknown models", () => {
    expect(costUsd("gpt-4o", { inputTokens: 1_000_000, outputTokens: 500_000 }, table)).toBe(7.5);
    expect(costUsd("local", { inputTokens: 10, outputTokens: 10 }, table)).toBeNull();
  });
});
