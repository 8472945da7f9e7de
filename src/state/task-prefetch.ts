// Readies a task's shipped state ahead of its run: started when the person picks the task (they read the
// ticket before Run), and for the task the page opens with once Linux is up.

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
 * (or not up), stop the one in flight instead. Returns the unsubscribe. The task chosen when the page
 * opens is no change: see prefetchChosen.
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

/**
 * Prefetches the task chosen now if Linux is idle: called once Linux is up, for the task the page opened
 * with (a person who presses Run at once waits for no download).
 */
export function prefetchChosen(
  catalogue: StoreApi<CatalogueState>,
  ports: TaskPrefetchPorts,
): void {
  const { tasks, selectedId } = catalogue.getState();
  const task = tasks.find((t) => t.meta.id === selectedId);
  if (task && ports.linuxIdle()) ports.prefetch(task);
}
