// When and how long to wait before calling a provider again after a retryable error.
import type { ProviderError } from "./errors";

export interface RetryPolicy {
  /** Attempts in all (the first call included) for rate limits. */
  rateLimitAttempts: number;
  /** Attempts in all for server errors and dropped connections. */
  serverAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  rateLimitAttempts: 5,
  serverAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

/** The wait before attempt `attempt + 1`, or null when the error should end the run. */
export function retryDelayMs(
  error: ProviderError,
  attempt: number,
  policy: RetryPolicy,
): number | null {
  if (!error.retryable) return null;
  const attempts = error.kind === "rate-limit" ? policy.rateLimitAttempts : policy.serverAttempts;
  if (attempt >= attempts) return null;
  // NOTE: a Retry-After from the provider wins over our own back-off, capped so a run never sleeps for hours.
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, policy.maxDelayMs);
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}
