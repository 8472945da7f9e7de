// Unit tests of the provider retry policy.
import { describe, expect, it } from "vitest";
import { authError, rateLimitError, serverError } from "./errors";
import { DEFAULT_RETRY_POLICY as policy, retryDelayMs } from "./retry";

describe("retryDelayMs", () => {
  it("honours Retry-After, capped, and backs off exponentially without it", () => {
    expect(retryDelayMs(rateLimitError("p", "429", 3_000), 1, policy)).toBe(3_000);
    expect(retryDelayMs(rateLimitError("p", "429", 3_600_000), 1, policy)).toBe(60_000);
    expect(retryDelayMs(rateLimitError("p", "429"), 3, policy)).toBe(4_000);
  });

  it("gives up after the policy's attempts, and never retries a rejected key", () => {
    expect(retryDelayMs(serverError("p", "500"), 2, policy)).toBe(2_000);
    expect(retryDelayMs(serverError("p", "500"), 3, policy)).toBeNull();
    expect(retryDelayMs(rateLimitError("p", "429"), 5, policy)).toBeNull();
    expect(retryDelayMs(authError("p", "401"), 1, policy)).toBeNull();
  });
});
