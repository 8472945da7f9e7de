// Stopping a task's setup: the error a stopped setup ends with, and waiting on the guest unless stopped.

/** Thrown when the person stops a run while its task is being readied. */
export class TaskStoppedError extends Error {
  constructor() {
    super("The task's setup was stopped.");
    this.name = "TaskStoppedError";
  }
}

/** Throws TaskStoppedError when `signal` has aborted: called before each step of a setup. */
export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TaskStoppedError();
}

/**
 * Waits for `promise`, or rejects with TaskStoppedError as soon as `signal` aborts. NOTE: what
 * `promise` stands for may still run (a VM that does not cancel the command): the caller resets
 * the VM after a stopped setup; a later rejection of `promise` is swallowed here.
 */
export function untilStopped<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TaskStoppedError());
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
