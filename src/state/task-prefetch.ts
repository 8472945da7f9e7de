// Readies a task's shipped state ahead of its run: started when the person picks the task (they read the ticket before Run).

import type { StoreApi } from "zustand/vanilla";
import type { TaskBundle } from "../domain/task";
import type { CatalogueState } from "./catalogue-store";

export interface TaskPrefetchPorts {
  /** Whether Linux is up and nothing uses it (no run, suite, verification, fork, comparison). */
  linuxIdle(): boolean;
  /** Starts fetching and rebuilding the task's state ahead; it replaces the one before. */
  prefetch(task: TaskBundle): void;
  /** Stops the one fetched ahead, if any. */
  cancel(): void;
}

/**
 * On every change of the chosen task: prefetch its state while Linux is idle; while Linux is busy
 * (or not up), stop the one in flight instead. Returns the unsubscribe.
 * NOTE: the task chosen when the page opens is not fetched ahead: only a person's pick is.
 */
export function prefetchOnSelect(
  catalogue: StoreApi<CatalogueState>,
  ports: TaskPrefetchPorts,
): () => void {
  return catalogue.subscribe((state, before) => {
    if (state.selectedId === before.selectedId) return;
    const task = state.tasks.find((t) => t.meta.id === state.selectedId);
    if (task && ports.linuxIdle()) ports.prefetch(task);
    else ports.cancel();
  });
}
