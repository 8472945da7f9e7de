// Time for the agent loop behind an interface, so tests run limits and back-off without waiting.
import { timerDelayMs } from "../domain/timers";

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Waits, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, timerDelayMs(ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    }),
};
