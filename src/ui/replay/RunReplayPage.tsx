// The page of #/runs/<id>?step=N: a run kept in this browser (or the one under way in this tab) in the replay viewer, or a clear note when it is not here.
import { useCallback, useEffect, useMemo, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { RunRecord } from "../../domain/run";
import type { TaskBundle } from "../../domain/task";
import type { ExplainState } from "../../state/explain-store";
import { runLabels } from "../../state/run-labels";
import { liveRecord, runIsBusy, type RunState } from "../../state/run-store";
import type { ShareState } from "../../state/share-store";
import type { VerifyState } from "../../state/verify-store";
import { ErrorBoundary } from "../ErrorBoundary";
import { ForkLinks } from "../fork/ForkLinks";
import { hasEnded } from "../run/describe";
import { ShareMenu } from "../share/ShareMenu";
import { TeachPanel } from "../teach/TeachPanel";
import { ExplainPanel } from "./ExplainPanel";
import { ReplayViewer } from "./ReplayViewer";
import { useExplanation } from "./use-explanation";
import { VerifyPanel } from "./VerifyPanel";

export function RunReplayPage({
  runStore,
  tasks,
  runId,
  step,
  onStep,
  onBack,
  share,
  verifyStore,
  onFork,
  explainStore,
}: {
  runStore: StoreApi<RunState>;
  /** Forks the run after a step (the Lab takes over); absent: no "Fork from here". */
  onFork?: (record: RunRecord, task: TaskBundle | undefined, step: number) => void;
  share: StoreApi<ShareState>;
  verifyStore: StoreApi<VerifyState>;
  /** Finding where a failed run went wrong; without it, no such panel. */
  explainStore?: StoreApi<ExplainState>;
  /** The tasks of this OpsLab, to show the run's ticket. */
  tasks: TaskBundle[];
  runId: string;
  step: number | undefined;
  onStep: (step: number) => void;
  /** Leaves the replay for the history. */
  onBack: () => void;
}) {
  const history = useStore(runStore, (s) => s.history);
  const runHead = useStore(runStore, (s) => s.runHead);
  const events = useStore(runStore, (s) => s.events);
  const phase = useStore(runStore, (s) => s.phase);
  const [loaded, setLoaded] = useState(false);
  const { explained, stepMarks, readyChecks } = useExplanation(explainStore, runId);
  useEffect(() => {
    let gone = false;
    void runStore
      .getState()
      .loadHistory()
      .finally(() => {
        if (!gone) setLoaded(true);
      });
    return () => {
      gone = true;
    };
  }, [runStore]);

  // NOTE: the run under way in this tab is not in the history until it ends: read from the store.
  const current = runHead?.id === runId ? runHead : undefined;
  const live = useMemo(() => current && liveRecord(current, events), [current, events]);
  const record = live ?? history.find((r) => r.id === runId);
  const task = tasks.find((t) => t.meta.id === record?.task.id);
  // NOTE: shared and verified only once it ended (not while it goes on live here).
  const ended = record !== undefined && hasEnded(record) && !(current && runIsBusy(phase));
  // NOTE: stable while the record is, so the step list's memoised items do not all redraw.
  const forkHere = useCallback(
    (forkStep: number) => {
      if (record) onFork?.(record, task, forkStep);
    },
    [onFork, record, task],
  );

  if (!record)
    return (
      <section className="replay-page" aria-label="Replay" data-testid="replay-page">
        {loaded ? (
          <div className="error-card" role="alert" data-testid="replay-not-here">
            <p>
              <strong>This run is not in this browser.</strong> Runs are kept in the browser that
              made them; this one (<code>{runId}</code>) was deleted, or made in another browser or
              profile. Ask whoever sent the address for a share link or an export file (History,
              Import).
            </p>
            <p className="error-actions">
              <button type="button" onClick={onBack}>
                Go to History
              </button>
            </p>
          </div>
        ) : (
          <p className="muted">Loading the saved runs…</p>
        )}
      </section>
    );
  return (
    <section className="replay-page" aria-label="Replay" data-testid="replay-page">
      <p>
        <button type="button" onClick={onBack}>
          ← History
        </button>
      </p>
      <ErrorBoundary
        part="This run's replay"
        resetKey={record.id}
        actions={[{ label: "Go to History", run: onBack }]}
      >
        <ReplayViewer
          key={record.id}
          record={record}
          task={task}
          step={step}
          onStep={onStep}
          live={current !== undefined && runIsBusy(phase)}
          stepMarks={stepMarks}
          {...(readyChecks && { readyChecks })}
          {...(ended && { actions: <ShareMenu record={record} share={share} /> })}
          {...(ended && onFork && { onFork: forkHere })}
        />
      </ErrorBoundary>
      <ErrorBoundary part="Forks" resetKey={record.id}>
        <ForkLinks record={record} runs={history} />
      </ErrorBoundary>
      {ended && (
        <ErrorBoundary part="Verify" resetKey={record.id}>
          <VerifyPanel record={record} task={task} store={verifyStore} />
        </ErrorBoundary>
      )}
      {ended && explainStore && record.outcome.verdict === "fail" && (
        <ErrorBoundary part="Where it went wrong" resetKey={record.id}>
          <ExplainPanel record={record} task={task} store={explainStore} onJump={onStep} />
        </ErrorBoundary>
      )}
      {ended && (
        <ErrorBoundary part="The comparison with the reference" resetKey={record.id}>
          <TeachPanel
            record={record}
            task={task}
            labels={runLabels(record, task, readyChecks)}
            onStep={onStep}
            {...(explained && { damageStep: explained.damageStep })}
          />
        </ErrorBoundary>
      )}
    </section>
  );
}
