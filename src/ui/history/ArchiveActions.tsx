// Export (archive or CSV, of the chosen runs or all) and import of an archive file.
import { useRef } from "react";
import type { StoreApi } from "zustand/vanilla";
import type { HistoryState } from "../../state/history-store";
import { download } from "./download";

export function ArchiveActions({
  store,
  chosen,
}: {
  store: StoreApi<HistoryState>;
  /** The runs ticked; none means all. */
  chosen: string[];
}) {
  const input = useRef<HTMLInputElement>(null);
  const ids = chosen.length > 0 ? chosen : undefined;
  const which = ids ? `${ids.length} chosen` : "all";
  const { exportArchive, exportCsv, importText } = store.getState();
  return (
    <div className="history-actions" data-testid="archive-actions">
      <button type="button" onClick={() => void exportArchive(ids).then(download)}>
        Export {which} (.json)
      </button>
      <button type="button" onClick={() => download(exportCsv(ids))}>
        Results of {which} as CSV
      </button>
      <button type="button" onClick={() => input.current?.click()}>
        Import…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        aria-label="Import an archive file"
        data-testid="import-file"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void file.text().then(importText);
        }}
      />
    </div>
  );
}
