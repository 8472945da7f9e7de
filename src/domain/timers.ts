// Durations a timer can wait: setTimeout holds at most 2^31-1 ms, and fires at once past that.

/** The longest delay setTimeout honours (about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** A delay setTimeout waits for as asked: within 0..MAX_TIMER_DELAY_MS (NaN counts as 0). */
export function timerDelayMs(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}
