// The run panel's short list of saved runs, newest first: verdict, task, model, when; pick one to read its timeline (all of them are in History).
import type { RunRecord } from "../../domain/run";
import type { UnreadableRun } from "../../state/run-store";
import { ErrorBoundary, ErrorCard } from "../ErrorBoundary";
import { runStatus } from "../../state/history-filter";
import { seconds } from "../run/describe";
import { STATUS_LABELS } from "./status";

function Entry({
  run,
  elsewhere,
  cutOff,
  viewing,
  onView,
}: {
  run: RunRecord;
  elsewhere: boolean;
  cutOff: boolean;
  viewing: boolean;
  onView: (id: string | undefined) => void;
}) {
  const v =
    STATUS_LABELS[
      runStatus(run, new Set(elsewhere ? [run.id] : []), new Set(cutOff ? [run.id] : []))
    ];
  return (
    <button
      type="button"
      aria-pressed={viewing}
      onClick={() => onView(viewing ? undefined : run.id)}
      title={v.title}
    >
      <span className={v.className}>{v.label}</span> {run.task.title}
      <span className="muted">
        {" "}
        · {run.agent.model} · {run.outcome.steps} steps · {seconds(run.outcome.durationMs)} ·{" "}
        {new Date(run.createdAt).toLocaleString()}
      </span>
    </button>
  );
}

export function RunHistory({
  runs,
  runningElsewhere,
  cutOff,
  unreadable,
  viewingId,
  onView,
  onDelete,
}: {
  runs: RunRecord[];
  runningElsewhere: string[];
  cutOff: string[];
  unreadable: UnreadableRun[];
  viewingId: string | undefined;
  onView: (id: string | undefined) => void;
  onDelete: (id: string) => void;
}) {
  if (runs.length === 0 && unreadable.length === 0) return null;
  const remove = (id: string) => ({ label: "Delete this saved run", run: () => onDelete(id) });
  return (
    <details className="history" data-testid="history">
      <summary>
        Saved runs ({runs.length}
        {unreadable.length > 0 && `, ${unreadable.length} unreadable`})
      </summary>
      <ul>
        {unreadable.map((bad) => (
          <li key={`unreadable-${bad.id}`}>
            <ErrorCard part="A saved run" message={bad.reason} actions={[remove(bad.id)]} compact />
          </li>
        ))}
        {runs.map((run) => (
          <li key={run.id}>
            <ErrorBoundary part="This saved run" actions={[remove(run.id)]} compact>
              <Entry
                run={run}
                elsewhere={runningElsewhere.includes(run.id)}
                cutOff={cutOff.includes(run.id)}
                viewing={run.id === viewingId}
                onView={onView}
              />
            </ErrorBoundary>
          </li>
        ))}
      </ul>
    </details>
  );
}
