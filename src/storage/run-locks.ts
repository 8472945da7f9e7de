// Which runs are going on in some tab of this browser: a Web Lock per run, held by its tab, released by the browser when the tab goes.
const LOCK_PREFIX = "opslab-run:";

interface LockManagerLike {
  request(name: string, callback: () => Promise<void>): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

function lockManager(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks;
}

/**
 * Holds the run's lock until the returned function is called. NOTE: a closed, crashed or reloaded
 * tab's locks are released by the browser, which is how another tab tells an interrupted run from
 * one still going; without Web Locks every run without an end reads as interrupted.
 */
export function holdRunLock(runId: string, locks = lockManager()): () => void {
  if (!locks) return () => undefined;
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  locks.request(`${LOCK_PREFIX}${runId}`, () => held).catch(() => undefined);
  return release;
}

/** Whether some tab of this browser holds the run's lock (false when Web Locks are missing). */
export async function runLockHeld(runId: string, locks = lockManager()): Promise<boolean> {
  if (!locks) return false;
  const { held = [] } = await locks.query();
  return held.some((lock) => lock.name === `${LOCK_PREFIX}${runId}`);
}
