// Storage used by OpsLab in this browser, whether the browser keeps it, and ways to free it.
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { HistoryState } from "../../state/history-store";
import { bytes } from "./status";

/** Runs older than this many days go with "Delete old runs". */
const OLD_RUN_DAYS = 30;

export function StoragePanel({ store }: { store: StoreApi<HistoryState> }) {
  const space = useStore(store, (s) => s.space);
  const persisted = useStore(store, (s) => s.persisted);
  const { deleteOlderThan, clearTaskStates } = store.getState();
  return (
    <section className="storage-panel" aria-label="Storage" data-testid="storage-panel">
      <p>
        {space ? (
          <>
            Storage used:{" "}
            <strong data-testid="storage-used" data-bytes={space.usageBytes}>
              {bytes(space.usageBytes)}
            </strong>{" "}
            of {bytes(space.quotaBytes)} this browser allows.
          </>
        ) : (
          "This browser does not say how much storage is used."
        )}{" "}
        <span className="muted" data-testid="storage-persisted">
          {persisted === true
            ? "The browser keeps it until you delete it."
            : "The browser may clear it when the disk runs low: export runs you want to keep."}
        </span>
      </p>
      <div className="history-actions">
        <button
          type="button"
          onClick={() => {
            if (confirm(`Delete every saved run older than ${OLD_RUN_DAYS} days?`))
              void deleteOlderThan(OLD_RUN_DAYS);
          }}
        >
          Delete runs older than {OLD_RUN_DAYS} days
        </button>
        <button
          type="button"
          title="Tasks are set up afresh next time (a few seconds more), then saved again"
          onClick={() => {
            if (confirm("Delete the saved task states? Runs are kept.")) void clearTaskStates();
          }}
        >
          Clear saved task states
        </button>
      </div>
    </section>
  );
}
