// The page's side of task states made on demand by npm run dev's server: ask for a key's manifest, and ask again while it builds.
import type { ShippedBuilding } from "./shipped-states";

/** One answer of the dev server to task-states/manifest.json?key=…: its status and JSON (if any). */
export interface OnDemandAnswer {
  status: number;
  json: unknown;
}

/** How often the page asks again while the dev server builds a state. */
export const ON_DEMAND_POLL_MS = 1_000;

export class OnDemandStateError extends Error {
  constructor(reason: string) {
    super(`${reason}; the task sets up here instead`);
    this.name = "OnDemandStateError";
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/**
 * The manifest for `key` from the dev server: 200 is it; 202 means it builds the state (its
 * `building.ahead` told to `onBuilding`), asked again every `pollMs`; anything else is thrown with
 * the server's reason, so the run says why it set the task up itself.
 */
export async function onDemandManifest(
  ask: (key: string, signal?: AbortSignal) => Promise<OnDemandAnswer>,
  key: string,
  onBuilding?: ShippedBuilding,
  signal?: AbortSignal,
  pollMs = ON_DEMAND_POLL_MS,
): Promise<unknown> {
  for (;;) {
    signal?.throwIfAborted();
    const { status, json } = await ask(key, signal);
    if (status === 200) return json;
    const body = (typeof json === "object" && json !== null ? json : {}) as {
      building?: { ahead?: unknown };
      error?: unknown;
    };
    if (status !== 202 || !body.building) {
      const reason = typeof body.error === "string" ? body.error : `HTTP ${status}`;
      throw new OnDemandStateError(`the dev server gave no state for this task (${reason})`);
    }
    const ahead = body.building.ahead;
    onBuilding?.({ ahead: typeof ahead === "number" && ahead >= 0 ? ahead : 0 });
    await sleep(pollMs, signal);
  }
}
