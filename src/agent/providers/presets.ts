// Providers people pick in Settings: the kind of API, the base URL, and whether browsers may call it.

export type ProviderKind = "openai" | "anthropic" | "openai-compatible";

export interface ProviderPreset {
  id: string;
  label: string;
  kind: ProviderKind;
  baseUrl: string;
  /** A model to start with; the list is fetched from the endpoint where it offers one. */
  defaultModel: string;
  /** What the person must do for a browser page to call it, when anything. */
  browserNote?: string;
}

const LOCAL_CORS = "Allow this page's origin on the server (see the README, 'Local models').";

export const PROVIDER_PRESETS: ProviderPreset[] = [
  {
    id: "openai",
    label: "OpenAI",
    kind: "openai",
    baseUrl: "https://api.openai.com/v1",
    defaultModel: "gpt-4.1-mini",
  },
  {
    id: "anthropic",
    label: "Anthropic",
    kind: "anthropic",
    baseUrl: "https://api.anthropic.com",
    defaultModel: "claude-sonnet-4-5",
  },
  {
    id: "openrouter",
    label: "OpenRouter",
    kind: "openai-compatible",
    baseUrl: "https://openrouter.ai/api/v1",
    defaultModel: "openai/gpt-4.1-mini",
  },
  {
    id: "groq",
    label: "Groq",
    kind: "openai-compatible",
    baseUrl: "https://api.groq.com/openai/v1",
    defaultModel: "llama-3.3-70b-versatile",
  },
  {
    id: "together",
    label: "Together",
    kind: "openai-compatible",
    baseUrl: "https://api.together.xyz/v1",
    defaultModel: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
  },
  {
    id: "deepseek",
    label: "DeepSeek",
    kind: "openai-compatible",
    baseUrl: "https://api.deepseek.com/v1",
    defaultModel: "deepseek-chat",
  },
  {
    id: "mistral",
    label: "Mistral",
    kind: "openai-compatible",
    baseUrl: "https://api.mistral.ai/v1",
    defaultModel: "mistral-large-latest",
  },
  {
    id: "gemini",
    label: "Gemini (OpenAI-compatible)",
    kind: "openai-compatible",
    baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
    defaultModel: "gemini-2.5-flash",
  },
  {
    id: "ollama",
    label: "Ollama (local)",
    kind: "openai-compatible",
    baseUrl: "http://localhost:11434/v1",
    defaultModel: "qwen2.5:7b",
    browserNote: LOCAL_CORS,
  },
  {
    id: "lmstudio",
    label: "LM Studio (local)",
    kind: "openai-compatible",
    baseUrl: "http://localhost:1234/v1",
    defaultModel: "local-model",
    browserNote: LOCAL_CORS,
  },
  {
    id: "vllm",
    label: "vLLM (local)",
    kind: "openai-compatible",
    baseUrl: "http://localhost:8000/v1",
    defaultModel: "local-model",
    browserNote: LOCAL_CORS,
  },
  {
    id: "custom",
    label: "Other OpenAI-compatible endpoint",
    kind: "openai-compatible",
    baseUrl: "",
    defaultModel: "",
  },
];

/** The origins of the hosted providers, for the page's Content-Security-Policy (connect-src). */
export const HOSTED_PROVIDER_ORIGINS = [
  ...new Set(
    PROVIDER_PRESETS.filter((p) => p.baseUrl.startsWith("https://")).map(
      (p) => new URL(p.baseUrl).origin,
    ),
  ),
];
