// The history page: every saved run of this browser to filter, sort, search, read, delete, export and import; storage used and freeing it.
import { useEffect } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { RunRecord } from "../../domain/run";
import type { TaskBundle } from "../../domain/task";
import { filterRuns } from "../../state/history-filter";
import type { HistoryState } from "../../state/history-store";
import type { RunState } from "../../state/run-store";
import type { ShareState } from "../../state/share-store";
import { describeReasoning, hasEnded } from "../run/describe";
import { ShareMenu } from "../share/ShareMenu";
import type { VerifyState } from "../../state/verify-store";
import { ErrorBoundary, ErrorCard } from "../ErrorBoundary";
import { VerifyPanel } from "../replay/VerifyPanel";
import { RunTimeline } from "../run/RunTimeline";
import { ArchiveActions } from "./ArchiveActions";
import { download } from "./download";
import { HistoryFilters } from "./HistoryFilters";
import { ForkLinks } from "../fork/ForkLinks";
import { HistoryTable } from "./HistoryTable";
import { StoragePanel } from "./StoragePanel";

function RunDetail({
  run,
  runs,
  task,
  verifyStore,
  onDelete,
  onReplay,
  share,
}: {
  run: RunRecord;
  /** Every saved run, for the run's place in its fork tree. */
  runs: readonly RunRecord[];
  task: TaskBundle | undefined;
  verifyStore: StoreApi<VerifyState>;
  onDelete: () => void;
  onReplay: (() => void) | undefined;
  share: StoreApi<ShareState>;
}) {
  return (
    <section className="history-detail" aria-label="Run detail" data-testid="history-detail">
      <ErrorBoundary
        part="This saved run"
        resetKey={run}
        actions={[{ label: "Delete this saved run", run: onDelete }]}
      >
        <p>
          <strong>{run.task.title}</strong> by {run.agent.provider}/{run.agent.model}
          {run.agent.reasoning && ` (${describeReasoning(run.agent)})`},{" "}
          {new Date(run.createdAt).toLocaleString()}{" "}
          {onReplay && (
            <button type="button" onClick={onReplay} data-testid="replay-button">
              Replay
            </button>
          )}{" "}
          <button type="button" onClick={onDelete}>
            Delete
          </button>
        </p>
        {hasEnded(run) && <ShareMenu record={run} share={share} />}
        <ForkLinks record={run} runs={runs} />
        {/* NOTE: until the replay viewer holds it, Verify lives in the run's detail here. */}
        <ErrorBoundary part="Verify" resetKey={run}>
          <VerifyPanel record={run} task={task} store={verifyStore} />
        </ErrorBoundary>
        <RunTimeline events={run.events} liveText="" />
      </ErrorBoundary>
    </section>
  );
}

export function HistoryView({
  runStore,
  store,
  onReplay,
  share,
  verifyStore,
  tasks,
}: {
  runStore: StoreApi<RunState>;
  store: StoreApi<HistoryState>;
  /** Opens a run in the replay viewer (#/runs/<id>). */
  onReplay?: (runId: string) => void;
  share: StoreApi<ShareState>;
  verifyStore: StoreApi<VerifyState>;
  /** This OpsLab's tasks: a run is verified against its task here. */
  tasks: TaskBundle[];
}) {
  const history = useStore(runStore, (s) => s.history);
  const unreadable = useStore(runStore, (s) => s.unreadable);
  const runningElsewhere = useStore(runStore, (s) => s.runningElsewhere);
  const cutOffIds = useStore(runStore, (s) => s.cutOff);
  const unsaved = useStore(runStore, (s) => s.unsaved);
  const storageNote = useStore(runStore, (s) => s.storageNote);
  const filter = useStore(store, (s) => s.filter);
  const selected = useStore(store, (s) => s.selected);
  const detailId = useStore(store, (s) => s.detailId);
  const notice = useStore(store, (s) => s.notice);
  const verifications = useStore(verifyStore, (s) => s.results);
  const { setFilter, toggle, select, openDetail, deleteRuns, refreshSpace } = store.getState();

  useEffect(() => {
    void runStore.getState().loadHistory();
    void refreshSpace();
  }, [runStore, refreshSpace]);

  const elsewhere = new Set(runningElsewhere);
  const cutOff = new Set(cutOffIds);
  const shown = filterRuns(history, filter, elsewhere, cutOff);
  const detail = history.find((r) => r.id === detailId);
  const confirmDelete = (ids: string[]) => {
    if (ids.length > 0 && confirm(`Delete ${ids.length} saved run(s)? This cannot be undone.`))
      void deleteRuns(ids);
  };
  return (
    <section className="history-view" aria-label="History" data-testid="history-view">
      <header className="history-header">
        <h2>
          History{" "}
          <span className="muted">
            ({shown.length} of {history.length} runs)
          </span>
        </h2>
        <ArchiveActions store={store} chosen={selected} />
      </header>
      {notice && (
        <p
          className={notice.kind === "ok" ? "ok" : "error"}
          role="status"
          data-testid="history-notice"
        >
          {notice.text}
        </p>
      )}
      {storageNote && <p className="warning">{storageNote}</p>}
      {unsaved.length > 0 && (
        <p className="warning" data-testid="unsaved-runs">
          {unsaved.length} run(s) are kept in this tab only: free space below, or{" "}
          <button
            type="button"
            onClick={() => void store.getState().exportArchive(unsaved).then(download)}
          >
            export them
          </button>
          .
        </p>
      )}
      <ErrorBoundary part="Storage">
        <StoragePanel store={store} />
      </ErrorBoundary>
      {unreadable.map((bad) => (
        <ErrorCard
          key={bad.id}
          part="A saved run"
          message={bad.reason}
          compact
          actions={[{ label: "Delete this saved run", run: () => void deleteRuns([bad.id]) }]}
        />
      ))}
      <HistoryFilters runs={history} filter={filter} onChange={setFilter} />
      <div className="history-actions">
        <button
          type="button"
          className="danger"
          disabled={selected.length === 0}
          onClick={() => confirmDelete(selected)}
        >
          Delete {selected.length} chosen
        </button>
      </div>
      <div className="history-body">
        <HistoryTable
          runs={shown}
          elsewhere={elsewhere}
          cutOff={cutOff}
          selected={new Set(selected)}
          openId={detailId}
          onToggle={toggle}
          onSelect={select}
          onOpen={openDetail}
          onDelete={(id) => confirmDelete([id])}
          verifications={verifications}
        />
        {detail && (
          <RunDetail
            run={detail}
            runs={history}
            task={tasks.find((t) => t.meta.id === detail.task.id)}
            verifyStore={verifyStore}
            onDelete={() => confirmDelete([detail.id])}
            onReplay={onReplay && (() => onReplay(detail.id))}
            share={share}
          />
        )}
      </div>
    </section>
  );
}
