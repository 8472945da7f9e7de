// Unit tests of which models reason, the requests they get and the output a turn may use.
import { describe, expect, it } from "vitest";
import {
  effortHint,
  isOpenAiReasoningModel,
  outputTokensPerTurn,
  reasoningRequest,
  supportsThinking,
  usesAdaptiveThinking,
} from "./reasoning";

describe("reasoning models", () => {
  it.each([
    ["o1", true],
    ["o3-mini", true],
    ["o4-mini-2025-04-16", true],
    ["openai/o4-mini", true],
    ["gpt-5", true],
    ["gpt-5-nano", true],
    ["gpt-5-chat-latest", false],
    ["gpt-4.1-mini", false],
    ["gpt-4o", false],
    ["omni-moderation-latest", false],
  ])("%s is an OpenAI reasoning model: %s", (model, expected) => {
    expect(isOpenAiReasoningModel(model)).toBe(expected);
  });

  it.each([
    ["claude-3-5-sonnet-20241022", false, false],
    ["claude-3-7-sonnet-20250219", true, false],
    ["claude-sonnet-4-20250514", true, false],
    ["claude-opus-4-1", true, false],
    ["claude-haiku-4-5-20251001", true, false],
    ["claude-sonnet-4-6", true, true],
    ["claude-opus-4-7", true, true],
    ["claude-opus-5", true, true],
    ["claude-fable-5-2", true, true],
    ["claude-mythos-preview", true, true],
    ["anthropic/claude-sonnet-4-6", true, true],
    ["gpt-4o", false, false],
  ])("%s thinks: %s; adaptively: %s", (model, thinks, adaptive) => {
    expect(supportsThinking(model)).toBe(thinks);
    expect(usesAdaptiveThinking(model)).toBe(adaptive);
  });

  it("asks each provider for reasoning its own way", () => {
    expect(reasoningRequest("openai", "o3", "off")).toBeUndefined();
    expect(reasoningRequest("openai", "o3", "low")).toEqual({ effort: "low" });
    expect(reasoningRequest("anthropic", "claude-opus-4-1", "high")).toEqual({
      effort: "high",
      thinkingBudgetTokens: 24_000,
    });
    expect(reasoningRequest("anthropic", "claude-opus-4-7", "high")).toEqual({ effort: "high" });
    expect(reasoningRequest("openai-compatible", "qwq", "medium")).toEqual({ effort: "medium" });
  });

  it("gives a turn the output its model needs, or the person's own number", () => {
    expect(outputTokensPerTurn("openai", "gpt-4.1", undefined)).toBe(4_096);
    expect(outputTokensPerTurn("openai", "o4-mini", undefined)).toBe(32_000);
    expect(
      outputTokensPerTurn("anthropic", "claude-opus-4-1", {
        effort: "low",
        thinkingBudgetTokens: 4_096,
      }),
    ).toBe(8_192);
    expect(outputTokensPerTurn("anthropic", "claude-opus-4-7", { effort: "low" })).toBe(32_000);
    expect(outputTokensPerTurn("anthropic", "claude-opus-4-7", undefined)).toBe(4_096);
    expect(outputTokensPerTurn("openai-compatible", "deepseek-reasoner", { effort: "high" })).toBe(
      16_384,
    );
    expect(outputTokensPerTurn("openai-compatible", "llama3", undefined)).toBe(4_096);
    expect(outputTokensPerTurn("openai", "o3", undefined, 60_000)).toBe(60_000);
  });

  it("says in Settings what the effort does, and when a provider will refuse it", () => {
    expect(effortHint("openai", "gpt-4.1-mini", "high")).toMatch(
      /not a reasoning model: OpenAI will refuse/,
    );
    expect(effortHint("anthropic", "claude-haiku-4-5", "medium")).toBe(
      "Extended thinking, up to 12,000 tokens a turn.",
    );
    expect(effortHint("anthropic", "claude-opus-4-7", "high")).toBe(
      "Adaptive thinking at effort high.",
    );
    expect(effortHint("anthropic", "claude-3-5-haiku", "low")).toMatch(/may not think/);
    expect(effortHint("openai", "o4-mini", "minimal")).toMatch(/only GPT-5 models take/);
    expect(effortHint("openai", "gpt-5-mini", "minimal")).toBe("reasoning_effort: minimal.");
  });
});
