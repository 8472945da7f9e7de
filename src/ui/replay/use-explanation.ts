// The explanation kept for a run (where it went wrong), and what the replay marks and labels take from it.
import { useCallback, useMemo, useSyncExternalStore } from "react";
import type { StoreApi } from "zustand/vanilla";
import { explanationMarks, readyChecksOf, type ExplainState } from "../../state/explain-store";

/** The run's kept explanation report (none without a store), its step marks and the readied task's checks. */
export function useExplanation(store: StoreApi<ExplainState> | undefined, runId: string) {
  const subscribe = useCallback(
    (onChange: () => void) => store?.subscribe(onChange) ?? (() => undefined),
    [store],
  );
  const read = () => store?.getState().results[runId]?.report;
  const explained = useSyncExternalStore(subscribe, read, read);
  const stepMarks = useMemo(() => explanationMarks(explained), [explained]);
  const readyChecks = useMemo(() => readyChecksOf(explained), [explained]);
  return { explained, stepMarks, readyChecks };
}
