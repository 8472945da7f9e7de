// Turns a provider SDK's HTTP or connection failure into a typed ProviderError.
import {
  authError,
  badRequestError,
  blockedByBrowserError,
  networkError,
  rateLimitError,
  serverError,
  type ProviderError,
} from "../errors";

/** What both SDKs tell about a failed call. */
export interface HttpFailure {
  provider: string;
  baseUrl: string;
  /** HTTP status; undefined when no answer came (connection refused, dropped, blocked). */
  status: number | undefined;
  headers: Headers | undefined;
  message: string;
  /** Whether any earlier call of this client got an answer (a blocked call never does). */
  answeredBefore: boolean;
}

const MS_PER_SECOND = 1000;
/** How long one provider request may take before it counts as a dropped connection. */
export const PROVIDER_REQUEST_TIMEOUT_MS = 120_000;

/** The error classes both provider SDKs export, with the same shape. */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => {
    status: number | undefined;
    headers: Headers | undefined;
    message: string;
  };
  APIUserAbortError: abstract new (...args: never[]) => Error;
}

/** Who made the failed call, for the error's message. */
export interface CallContext {
  provider: string;
  baseUrl: string;
  answeredBefore: boolean;
}

/** Rethrows an SDK's failure as a ProviderError; an abort, or anything not from the SDK, as it is. */
export function rethrowSdkError(error: unknown, sdk: SdkErrorClasses, call: CallContext): never {
  if (error instanceof sdk.APIUserAbortError) throw error;
  if (error instanceof sdk.APIError) {
    const { status, headers, message } = error;
    throw toProviderError({ ...call, status, headers, message });
  }
  throw error;
}

/**
 * Rethrows a failure while reading a streamed answer. NOTE: an HTTP error mid-stream keeps its
 * kind; anything else (after an abort excepted) is a dropped connection, which the loop retries.
 */
export function rethrowStreamError(
  error: unknown,
  signal: AbortSignal,
  sdk: SdkErrorClasses,
  call: CallContext,
): never {
  if (signal.aborted) throw error;
  if (error instanceof sdk.APIError && error.status !== undefined)
    rethrowSdkError(error, sdk, call);
  throw networkError(
    call.provider,
    `the connection dropped mid-answer: ${(error as Error).message}`,
  );
}

/** Reads retry-after-ms, or Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | undefined {
  const ms = Number(headers?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * MS_PER_SECOND);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

const inBrowser = () => typeof window !== "undefined" && typeof document !== "undefined";

export function toProviderError(failure: HttpFailure, nowMs = Date.now()): ProviderError {
  const { provider, status, message } = failure;
  const detail = status === undefined ? message : `HTTP ${status}: ${message}`;
  if (status === undefined) {
    // NOTE: a browser reports a CORS refusal as a bare network failure; when this endpoint never
    // answered this page, that is the likely reason, and retrying cannot help.
    if (inBrowser() && !failure.answeredBefore)
      return blockedByBrowserError(provider, failure.baseUrl);
    return networkError(provider, detail);
  }
  if (status === 401 || status === 403) return authError(provider, detail);
  if (status === 429) return rateLimitError(provider, detail, retryAfterMs(failure.headers, nowMs));
  if (status >= 500 || status === 408 || status === 409) return serverError(provider, detail);
  return badRequestError(provider, detail);
}
