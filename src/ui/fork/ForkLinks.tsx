// A run's place in its fork tree: the run it was forked from (at which step) and the runs forked from it, as links to their replays.
import type { RunRecord } from "../../domain/run";
import { formatRoute } from "../routes";
import "./fork.css";

const VERDICTS = { pass: "PASS", fail: "FAIL", tampered: "TAMPERED" } as const;

export function ForkLinks({ record, runs }: { record: RunRecord; runs: readonly RunRecord[] }) {
  const origin = record.forkedFrom;
  const parent = origin && runs.find((r) => r.id === origin.runId);
  const forks = runs.filter((r) => r.forkedFrom?.runId === record.id);
  if (!origin && forks.length === 0) return null;
  return (
    <section className="fork-links" aria-label="Forks" data-testid="fork-links">
      {origin && (
        <p data-testid="forked-from">
          Forked at{" "}
          <a href={formatRoute({ page: "run", runId: origin.runId, step: origin.step })}>
            step {origin.step} of {parent ? `the run of “${parent.task.title}”` : "another run"}
          </a>
          {!parent && " (not in this browser)"}.
        </p>
      )}
      {forks.length > 0 && (
        <>
          <p>Forks of this run:</p>
          <ul data-testid="fork-list">
            {forks.map((f) => (
              <li key={f.id}>
                <a href={formatRoute({ page: "run", runId: f.id })}>
                  at step {f.forkedFrom?.step}: {f.agent.model},{" "}
                  {f.outcome.verdict ? VERDICTS[f.outcome.verdict] : "not graded"},{" "}
                  {new Date(f.createdAt).toLocaleString()}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
