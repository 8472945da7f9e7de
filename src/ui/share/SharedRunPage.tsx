// The page a share link opens: the run read-only with its task's ticket, a summary asking for the file, or an error page naming the failure.
import { useCallback, useEffect } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { RunRecord } from "../../domain/run";
import type { TaskBundle } from "../../domain/task";
import type { ExplainState } from "../../state/explain-store";
import { runLabels } from "../../state/run-labels";
import type { RunSummary } from "../../state/share-store";
import type { ShareFailure, ShareState, TaskMatch } from "../../state/share-store";
import type { VerifyState } from "../../state/verify-store";
import { ErrorBoundary } from "../ErrorBoundary";
import { ForkLinks } from "../fork/ForkLinks";
import { ExplainPanel } from "../replay/ExplainPanel";
import { ReplayViewer } from "../replay/ReplayViewer";
import { useExplanation } from "../replay/use-explanation";
import { VerifyPanel } from "../replay/VerifyPanel";
import { TeachPanel } from "../teach/TeachPanel";
import { dollars, hasEnded, seconds } from "../run/describe";
import { Ticket } from "../tasks/Ticket";
import { ShareMenu } from "./ShareMenu";

const TASK_NOTES: Record<Exclude<TaskMatch, "same">, string> = {
  differs:
    "This run was made with another version of the task: the ticket below is this OpsLab's version, and Verify may not reproduce the verdict.",
  missing: "This OpsLab does not have this run's task: the run is shown without its ticket.",
  unknown: "This run does not say which version of its task it was made with.",
};

export function ShareErrorPage({ error }: { error: ShareFailure }) {
  return (
    <section className="share-error" role="alert" data-testid="share-error" data-kind={error.kind}>
      <h2>{error.title}</h2>
      <p>{error.message}</p>
      <p>
        <a href="#/">Go to the lab</a>
      </p>
    </section>
  );
}

function SummaryPage({
  summary,
  fileError,
  share,
}: {
  summary: RunSummary;
  fileError: ShareFailure | undefined;
  share: StoreApi<ShareState>;
}) {
  const onFile = (file: File | undefined) => {
    if (file) void file.text().then((text) => share.getState().openFile(text));
  };
  return (
    <section className="shared-summary" data-testid="shared-summary">
      <h2>{summary.task.title}</h2>
      <p>
        {summary.agent.provider}/{summary.agent.model} ·{" "}
        {new Date(summary.createdAt).toLocaleString()} · verdict{" "}
        <strong data-testid="summary-verdict">{summary.verdict ?? "not graded"}</strong> ·{" "}
        {summary.steps} steps · {seconds(summary.durationMs)} · {dollars(summary.costUsd)}
      </p>
      <p>
        This run was too big for a link: open the <code>.opslab.json</code> file that came with it.
        OpsLab checks that the file is this very run (SHA-256{" "}
        <code title={summary.hash}>{summary.hash.slice(0, 12)}…</code>).
      </p>
      <label>
        The run&apos;s file{" "}
        <input
          type="file"
          accept=".json,application/json"
          data-testid="shared-file"
          onChange={(e) => onFile(e.currentTarget.files?.[0])}
        />
      </label>
      {fileError && <ShareErrorPage error={fileError} />}
    </section>
  );
}

/**
 * Shows the run of `#/share/<payload>` in the replay viewer (at `step`, told of each step shown
 * through `onStep`), with Verify; the VM goes on booting behind it (Verify needs it).
 */
export function SharedRunPage({
  payload,
  step,
  onStep,
  share,
  verifyStore,
  onFork,
  explainStore,
}: {
  /** Forks the run after a step (the Lab takes over); absent: no "Fork from here". */
  onFork?: (record: RunRecord, task: TaskBundle | undefined, step: number) => void;
  payload: string;
  step?: number;
  onStep?: (step: number) => void;
  share: StoreApi<ShareState>;
  verifyStore: StoreApi<VerifyState>;
  /** Finding where a failed run went wrong, in this browser's Linux; without it, no such panel. */
  explainStore?: StoreApi<ExplainState>;
}) {
  const opened = useStore(share, (s) => s.opened);
  useEffect(() => {
    void share.getState().open(payload);
  }, [payload, share]);
  const shown = opened.status === "run" ? opened : undefined;
  const { explained, stepMarks, readyChecks } = useExplanation(
    explainStore,
    shown?.run.record.id ?? "",
  );
  const forkHere = useCallback(
    (step: number) => {
      if (shown) onFork?.(shown.run.record, shown.task, step);
    },
    [onFork, shown],
  );

  if (opened.status === "idle" || opened.payload !== payload || opened.status === "opening") {
    return <p className="muted shared-run">Opening the shared run…</p>;
  }
  if (opened.status === "error") return <ShareErrorPage error={opened.error} />;
  if (opened.status === "summary") {
    return <SummaryPage summary={opened.summary} fileError={opened.fileError} share={share} />;
  }
  const { record } = opened.run;
  return (
    <section className="shared-run" aria-label="Shared run" data-testid="shared-run">
      <header className="shared-run-header">
        <h2>{record.task.title}</h2>
        <p className="muted">
          Shared run, read-only: {record.agent.provider}/{record.agent.model},{" "}
          {new Date(record.createdAt).toLocaleString()} · {record.outcome.steps} steps ·{" "}
          {record.outcome.totalTokens.toLocaleString()} tokens · {dollars(record.outcome.costUsd)}
        </p>
        <p className="muted" data-testid="share-intact">
          Intact: the content matches the link&apos;s SHA-256{" "}
          <code title={opened.run.hash}>{opened.run.hash.slice(0, 12)}…</code> (it shows the link
          was not damaged, not who made the run: Verify replays it).
        </p>
        <ShareMenu record={record} share={share} />
      </header>
      {opened.match !== "same" && (
        <p className="warning" data-testid="task-version-note" data-match={opened.match}>
          {TASK_NOTES[opened.match]}
        </p>
      )}
      {opened.task && (
        <details className="shared-ticket" open>
          <summary>The ticket</summary>
          <Ticket text={opened.task.instruction} />
        </details>
      )}
      <ErrorBoundary part="This run's replay" resetKey={record.id}>
        <ReplayViewer
          key={record.id}
          record={record}
          task={opened.task}
          step={step}
          {...(onStep && { onStep })}
          {...(onFork && hasEnded(record) && { onFork: forkHere })}
          stepMarks={stepMarks}
          {...(readyChecks && { readyChecks })}
        />
      </ErrorBoundary>
      <ForkLinks record={record} runs={[]} />
      {hasEnded(record) && (
        <ErrorBoundary part="Verify" resetKey={record.id}>
          <VerifyPanel record={record} task={opened.task} store={verifyStore} />
        </ErrorBoundary>
      )}
      {hasEnded(record) && explainStore && onStep && record.outcome.verdict === "fail" && (
        <ErrorBoundary part="Where it went wrong" resetKey={record.id}>
          <ExplainPanel record={record} task={opened.task} store={explainStore} onJump={onStep} />
        </ErrorBoundary>
      )}
      {hasEnded(record) && (
        <ErrorBoundary part="The comparison with the reference" resetKey={record.id}>
          <TeachPanel
            record={record}
            task={opened.task}
            labels={runLabels(record, opened.task, readyChecks)}
            {...(onStep && { onStep })}
            {...(explained && { damageStep: explained.damageStep })}
          />
        </ErrorBoundary>
      )}
    </section>
  );
}
