// Makes the LlmClient for the provider the person chose in Settings.
import type { LlmClient } from "../llm";
import { outputTokensPerTurn, reasoningRequest, type EffortSetting } from "../reasoning";
import { AnthropicClient } from "./anthropic-client";
import { OpenAiClient } from "./openai-client";
import type { ProviderKind } from "./presets";

export interface ProviderConfig {
  kind: ProviderKind;
  baseUrl: string;
  model: string;
  toolMode: "native" | "text";
  /** The reasoning effort asked for; absent or "off": none. */
  effort?: EffortSetting;
  /** Output tokens one turn may use; absent or 0: what fits the model (reasoning.ts). */
  maxOutputTokensPerTurn?: number;
}

export type ProviderClient = LlmClient & { listModels(signal: AbortSignal): Promise<string[]> };

export class ProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderConfigError";
  }
}

/** NOTE: the key is passed in, never kept in the config: a config may be stored or shared. */
export function createLlmClient(config: ProviderConfig, apiKey: string): ProviderClient {
  if (!config.model.trim()) throw new ProviderConfigError("Choose a model in Settings.");
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw new ProviderConfigError(
      `"${config.baseUrl}" is not a URL: give the endpoint's base URL in Settings, e.g. https://api.openai.com/v1.`,
    );
  }
  if (url.username || url.password || url.search) {
    throw new ProviderConfigError(
      "Put the key in the API key field, not in the base URL: URLs end up in logs and history.",
    );
  }
  if (config.kind !== "openai-compatible" && !apiKey.trim()) {
    throw new ProviderConfigError(`Enter your ${config.kind} API key in Settings.`);
  }
  const model = config.model.trim();
  const reasoning = reasoningRequest(config.kind, model, config.effort ?? "off");
  const maxOutputTokensPerTurn = outputTokensPerTurn(
    config.kind,
    model,
    reasoning,
    config.maxOutputTokensPerTurn,
  );
  const budget = reasoning?.thinkingBudgetTokens;
  if (budget && maxOutputTokensPerTurn <= budget) {
    throw new ProviderConfigError(
      `Max output per turn (${maxOutputTokensPerTurn}) must be more than the thinking budget of ${budget} tokens: raise it in Settings (0 fits it to the model) or lower the reasoning effort.`,
    );
  }
  const common = {
    baseUrl: config.baseUrl,
    model,
    toolMode: config.toolMode,
    maxOutputTokensPerTurn,
    ...(reasoning && { reasoning }),
  };
  // NOTE: local servers often need no key; the SDK still wants a non-empty one.
  const key = apiKey.trim() || "no-key";
  return config.kind === "anthropic"
    ? new AnthropicClient({ ...common, apiKey: key })
    : new OpenAiClient({ ...common, provider: config.kind, apiKey: key });
}
