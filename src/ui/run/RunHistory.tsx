// Saved runs of this browser, newest first: verdict, task, model, when; pick one to read its timeline.
import type { RunRecord } from "../../domain/run";
import { seconds } from "./describe";

function verdict(run: RunRecord): { label: string; className: string } {
  if (run.outcome.reason === null) return { label: "cut off", className: "warning" };
  if (run.outcome.passed === null) return { label: "not graded", className: "muted" };
  if (run.outcome.verdict === "tampered") return { label: "TAMPERED", className: "fail" };
  return run.outcome.passed
    ? { label: "PASS", className: "ok" }
    : { label: "FAIL", className: "fail" };
}

export function RunHistory({
  runs,
  viewingId,
  onView,
}: {
  runs: RunRecord[];
  viewingId: string | undefined;
  onView: (id: string | undefined) => void;
}) {
  if (runs.length === 0) return null;
  return (
    <details className="history" data-testid="history">
      <summary>Saved runs ({runs.length})</summary>
      <ul>
        {runs.map((run) => {
          const v = verdict(run);
          return (
            <li key={run.id}>
              <button
                type="button"
                aria-pressed={run.id === viewingId}
                onClick={() => onView(run.id === viewingId ? undefined : run.id)}
                title={
                  run.outcome.reason === null ? "The tab closed while this run went on" : undefined
                }
              >
                <span className={v.className}>{v.label}</span> {run.task.title}
                <span className="muted">
                  {" "}
                  · {run.agent.model} · {run.outcome.steps} steps ·{" "}
                  {seconds(run.outcome.durationMs)} · {new Date(run.createdAt).toLocaleString()}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
