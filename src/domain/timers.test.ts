// Unit tests of the timer delay bounds.
import { describe, expect, it } from "vitest";
import { MAX_TIMER_DELAY_MS, timerDelayMs } from "./timers";

describe("timerDelayMs", () => {
  it("keeps a delay a timer can wait for", () => {
    expect(timerDelayMs(1_500)).toBe(1_500);
    expect(timerDelayMs(MAX_TIMER_DELAY_MS)).toBe(MAX_TIMER_DELAY_MS);
  });

  it("clamps what would overflow to the longest delay, and what is not a delay to 0", () => {
    expect(timerDelayMs(86_400_000 * 30)).toBe(MAX_TIMER_DELAY_MS);
    expect(timerDelayMs(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_DELAY_MS);
    expect(timerDelayMs(-5)).toBe(0);
    expect(timerDelayMs(Number.NaN)).toBe(0);
  });
});
