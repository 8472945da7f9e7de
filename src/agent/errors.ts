// Typed provider errors, told apart from agent failure; each message says what to do.
import type { ProviderErrorKind } from "../domain/run";

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    readonly provider: string,
    message: string,
    /** Whether trying the same request again may work. */
    readonly retryable: boolean,
    /** The wait the provider asked for (Retry-After), when it gave one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export function authError(provider: string, detail: string): ProviderError {
  return new ProviderError(
    "auth",
    provider,
    `The key was rejected by ${provider} (${detail}): check the API key in Settings.`,
    false,
  );
}

export function rateLimitError(
  provider: string,
  detail: string,
  retryAfterMs?: number,
): ProviderError {
  return new ProviderError(
    "rate-limit",
    provider,
    `${provider} is rate-limiting this key (${detail}): wait a minute, lower the request rate, or check the account's quota.`,
    true,
    retryAfterMs,
  );
}

export function serverError(provider: string, detail: string): ProviderError {
  return new ProviderError(
    "server",
    provider,
    `${provider} answered with a server error (${detail}): try again later or pick another model.`,
    true,
  );
}

export function networkError(provider: string, detail: string): ProviderError {
  return new ProviderError(
    "network",
    provider,
    `Could not reach ${provider} (${detail}): check the base URL and the network connection.`,
    true,
  );
}

/** A browser refused the call (CORS): the provider or local server does not allow browser calls. */
export function blockedByBrowserError(provider: string, baseUrl: string): ProviderError {
  return new ProviderError(
    "blocked-by-browser",
    provider,
    `The browser blocked the call to ${baseUrl}, or nothing answers there. Most often the endpoint does not allow calls from web pages (CORS), or this site's Content-Security-Policy does not list it (see the README). ` +
      "OpenAI, Anthropic, OpenRouter, Groq, Together, DeepSeek, Mistral and Gemini's OpenAI-compatible endpoint accept browser calls. " +
      "For a local server allow this page's origin: Ollama with OLLAMA_ORIGINS=<this origin> (or *), LM Studio with 'Enable CORS' in its server settings, vLLM with --allowed-origins '[\"*\"]'.",
    false,
  );
}

export function badRequestError(provider: string, detail: string): ProviderError {
  return new ProviderError(
    "bad-request",
    provider,
    `${provider} refused the request (${detail}): check the model name and that it supports tool calls, or switch the tool mode to plain text in Settings.`,
    false,
  );
}

export function badResponseError(provider: string, detail: string): ProviderError {
  return new ProviderError(
    "bad-response",
    provider,
    `${provider} sent an answer OpsLab could not read (${detail}): try again or pick another model.`,
    true,
  );
}
