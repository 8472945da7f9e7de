// The run panel: phase, steps, tokens and cost so far, the stop button, and the timeline.
import { useEffect, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import { runIsBusy, type RunState } from "../../state/run-store";
import type { ShareState } from "../../state/share-store";
import { ShareMenu } from "../share/ShareMenu";
import {
  PHASE_LABELS,
  describeReasoning,
  dollars,
  hasEnded,
  seconds,
  tokensWithReasoning,
} from "./describe";
import { ErrorBoundary } from "../ErrorBoundary";
import { RunHistory } from "../history/RunHistory";
import { RunTimeline } from "./RunTimeline";
import { describePolicy } from "../../domain/policy/choice";
import { describeApprovalSetting } from "../../domain/approval";
import { ApprovalPanel } from "./ApprovalPanel";
import { describeGrading, describeReadying } from "./grading-progress";

/** How often the progress line's clock moves on. */
const PROGRESS_TICK_MS = 1_000;

/**
 * What readying the task or grading the run does now, its clock moving on each second (nothing
 * while neither goes on).
 */
function ProgressLine({ store }: { store: StoreApi<RunState> }) {
  const grading = useStore(store, (s) => s.grading);
  const readying = useStore(store, (s) => s.readying);
  const shown = grading ?? readying;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => setNow(Date.now()), PROGRESS_TICK_MS);
    return () => clearInterval(timer);
  }, [shown]);
  if (grading)
    return (
      <p className="muted" role="status" data-testid="grading-progress">
        {describeGrading(grading, Math.max(0, now - grading.sinceMs))}
      </p>
    );
  if (readying)
    return (
      <p className="muted" role="status" data-testid="ready-progress">
        {describeReadying(readying, Math.max(0, now - readying.sinceMs))}
      </p>
    );
  return null;
}

export function RunPanel({
  store,
  onReplay,
  share,
}: {
  store: StoreApi<RunState>;
  /** Opens a run in the replay viewer (#/runs/<id>): the one under way follows live. */
  onReplay?: (runId: string) => void;
  share: StoreApi<ShareState>;
}) {
  const phase = useStore(store, (s) => s.phase);
  const events = useStore(store, (s) => s.events);
  const liveText = useStore(store, (s) => s.liveText);
  const liveThinking = useStore(store, (s) => s.liveThinking);
  const error = useStore(store, (s) => s.error);
  const task = useStore(store, (s) => s.task);
  const history = useStore(store, (s) => s.history);
  const runningElsewhere = useStore(store, (s) => s.runningElsewhere);
  const cutOff = useStore(store, (s) => s.cutOff);
  const storageNote = useStore(store, (s) => s.storageNote);
  const unreadable = useStore(store, (s) => s.unreadable);
  const viewing = useStore(store, (s) => s.viewing);
  const runHead = useStore(store, (s) => s.runHead);
  const approval = useStore(store, (s) => s.approval);
  // The run of this tab once it has ended, whole, for Share (the history holds it from then on).
  const ended = phase === "done" ? history.find((r) => r.id === runHead?.id) : undefined;

  const started = events.find((e) => e.type === "started");
  const usage = events.filter((e) => e.type === "usage").at(-1);
  const elapsed = events.at(-1)?.atMs ?? 0;
  const stoppable = runIsBusy(phase) && phase !== "stopping";

  return (
    <aside className="run-panel" aria-label="Agent run">
      <header className="run-header">
        <div>
          <strong data-testid="run-phase">{PHASE_LABELS[phase]}</strong>
          {task && <span className="muted"> · {task.meta.title}</span>}
        </div>
        {onReplay && runHead && !viewing && (
          <button
            type="button"
            onClick={() => onReplay(runHead.id)}
            data-testid="replay-current"
            title="Open this run in the replay viewer (it follows a run under way)"
          >
            Replay
          </button>
        )}
        {ended && !viewing && <ShareMenu record={ended} share={share} />}
        {stoppable && (
          <button type="button" className="danger" onClick={() => store.getState().stop()}>
            Stop
          </button>
        )}
      </header>
      {started?.type === "started" && (
        <dl className="run-figures" data-testid="run-figures">
          <div>
            <dt>model</dt>
            <dd>
              {started.model}
              {runHead && describeReasoning(runHead.agent) && (
                <span className="muted" data-testid="run-effort">
                  {" "}
                  · {describeReasoning(runHead.agent)}
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>steps</dt>
            <dd>
              {usage?.type === "usage" ? usage.step : 0} / {started.limits.maxSteps}
            </dd>
          </div>
          <div>
            <dt>tokens</dt>
            <dd data-testid="run-tokens">
              {usage?.type === "usage"
                ? tokensWithReasoning(usage.totalTokens, usage.reasoningTokens)
                : 0}
            </dd>
          </div>
          <div>
            <dt>cost</dt>
            <dd>{usage?.type === "usage" ? dollars(usage.costUsd) : dollars(0)}</dd>
          </div>
          <div>
            <dt>time</dt>
            <dd>{seconds(elapsed)}</dd>
          </div>
          {started.limits.policy && (
            <div>
              <dt>policy</dt>
              <dd data-testid="run-policy">{describePolicy(started.limits.policy)}</dd>
            </div>
          )}
          {started.limits.approval && (
            <div>
              <dt>approval</dt>
              <dd data-testid="run-approval">{describeApprovalSetting(started.limits.approval)}</dd>
            </div>
          )}
        </dl>
      )}
      {(phase === "grading" || phase === "preparing") && <ProgressLine store={store} />}
      {error && (
        <p className="error" role="alert" data-testid="run-error">
          {error}
        </p>
      )}
      {phase === "idle" && !error && (
        <p className="muted">
          Pick a task and press <em>Run agent</em>. The agent works in the same Linux as your
          terminal, from a clean reset; its commands show here and in the Agent tab.
        </p>
      )}
      {approval && (
        <ApprovalPanel
          key={approval.request.callId}
          pending={approval}
          onAnswer={(answer) => store.getState().answerApproval(answer)}
        />
      )}
      {storageNote && <p className="warning">{storageNote}</p>}
      <ErrorBoundary part="The list of saved runs">
        <RunHistory
          runs={history}
          runningElsewhere={runningElsewhere}
          cutOff={cutOff}
          unreadable={unreadable}
          viewingId={viewing?.id}
          onView={(id) => store.getState().view(id)}
          onDelete={(id) => void store.getState().deleteRun(id)}
        />
      </ErrorBoundary>
      {viewing ? (
        <section aria-label="Saved run" data-testid="saved-run">
          <ErrorBoundary
            part="This saved run"
            resetKey={viewing}
            actions={[
              { label: "Back to the current run", run: () => store.getState().view(undefined) },
              {
                label: "Delete this saved run",
                run: () => void store.getState().deleteRun(viewing.id),
              },
            ]}
          >
            <p className="muted">
              Saved run of <strong>{viewing.task.title}</strong> by {viewing.agent.model},{" "}
              {new Date(viewing.createdAt).toLocaleString()}.{" "}
              <button type="button" onClick={() => store.getState().view(undefined)}>
                Back to the current run
              </button>{" "}
              {onReplay && (
                <button type="button" onClick={() => onReplay(viewing.id)}>
                  Replay
                </button>
              )}
            </p>
            {hasEnded(viewing) && <ShareMenu record={viewing} share={share} />}
            <RunTimeline events={viewing.events} liveText="" />
          </ErrorBoundary>
        </section>
      ) : (
        <ErrorBoundary part="This run's timeline" resetKey={events.length === 0}>
          <RunTimeline events={events} liveText={liveText} liveThinking={liveThinking} />
        </ErrorBoundary>
      )}
    </aside>
  );
}
