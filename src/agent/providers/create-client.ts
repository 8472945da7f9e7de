// Makes the LlmClient for the provider the person chose in Settings.
import type { LlmClient } from "../llm";
import { AnthropicClient } from "./anthropic-client";
import { OpenAiClient } from "./openai-client";
import type { ProviderKind } from "./presets";

export interface ProviderConfig {
  kind: ProviderKind;
  baseUrl: string;
  model: string;
  toolMode: "native" | "text";
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
  const common = { baseUrl: config.baseUrl, model: config.model.trim(), toolMode: config.toolMode };
  // NOTE: local servers often need no key; the SDK still wants a non-empty one.
  const key = apiKey.trim() || "no-key";
  return config.kind === "anthropic"
    ? new AnthropicClient({ ...common, apiKey: key })
    : new OpenAiClient({ ...common, provider: config.kind, apiKey: key });
}
