// Saved runs of this browser, newest first: verdict, task, model, when; pick one to read its timeline.
import type { RunRecord } from "../../domain/run";
import type { UnreadableRun } from "../../state/run-store";
import { ErrorBoundary, ErrorCard } from "../ErrorBoundary";
import { seconds } from "./describe";

function verdict(run: RunRecord, elsewhere: boolean): { label: string; className: string } {
  if (run.outcome.reason === null)
    return elsewhere
      ? { label: "running in another tab", className: "muted" }
      : { label: "interrupted", className: "warning" };
  if (run.outcome.passed === null) return { label: "not graded", className: "muted" };
  if (run.outcome.verdict === "tampered") return { label: "TAMPERED", className: "fail" };
  return run.outcome.passed
    ? { label: "PASS", className: "ok" }
    : { label: "FAIL", className: "fail" };
}

function Entry({
  run,
  elsewhere,
  viewing,
  onView,
}: {
  run: RunRecord;
  elsewhere: boolean;
  viewing: boolean;
  onView: (id: string | undefined) => void;
}) {
  const v = verdict(run, elsewhere);
  return (
    <button
      type="button"
      aria-pressed={viewing}
      onClick={() => onView(viewing ? undefined : run.id)}
      title={
        run.outcome.reason === null && !elsewhere
          ? "Its tab closed or reloaded before the run ended; every step it took is kept"
          : undefined
      }
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
  unreadable,
  viewingId,
  onView,
  onDelete,
}: {
  runs: RunRecord[];
  runningElsewhere: string[];
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
