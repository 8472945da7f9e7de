// The comparisons page: the comparisons kept here, or one opened (saved, or from a link) side by side, with its share link.
import { useEffect, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { GateDecision } from "../../state/compare-gate";
import type { CompareState } from "../../state/compare-store";
import { DIVERGENCE_REASONS } from "../../state/compare-view";
import type { Route } from "../routes";
import { formatRoute } from "../routes";
import { ComparisonSteps } from "./ComparisonSteps";
import "./compare.css";

type CompareRoute = Extract<Route, { page: "compare" | "compare-share" }>;

function ComparisonList({ store }: { store: StoreApi<CompareState> }) {
  const comparisons = useStore(store, (s) => s.comparisons);
  const unreadable = useStore(store, (s) => s.unreadable);
  useEffect(() => {
    void store.getState().load();
  }, [store]);
  return (
    <section aria-label="Comparisons">
      <h2>Two models on one task</h2>
      {comparisons.length === 0 && <p>No comparison kept in this browser yet.</p>}
      <ul data-testid="compare-list">
        {comparisons.map((c) => (
          <li key={c.id}>
            <a href={formatRoute({ page: "compare", comparisonId: c.id })}>
              {c.task.title}: {c.agents[0].model} vs {c.agents[1].model}
            </a>{" "}
            · {new Date(c.createdAt).toLocaleString()} ·{" "}
            {c.divergenceRow === null ? "never parted" : `parted at row ${c.divergenceRow + 1}`}
          </li>
        ))}
      </ul>
      {unreadable.map((u) => (
        <p key={u.id} className="warning" role="alert">
          Comparison {u.id}: {u.reason}
        </p>
      ))}
    </section>
  );
}

const DECISIONS: { decision: GateDecision; label: string }[] = [
  { decision: "continue", label: "Continue both" },
  { decision: "stop", label: "Stop both" },
  { decision: "keep-left", label: "Keep the left one" },
  { decision: "keep-right", label: "Keep the right one" },
];

/** Two models for the chosen task, run at once; the live rows and the question at their first disagreement. */
function StartComparison({
  store,
  defaultModel,
}: {
  store: StoreApi<CompareState>;
  defaultModel: string;
}) {
  const live = useStore(store, (s) => s.live);
  const [left, setLeft] = useState(defaultModel);
  const [right, setRight] = useState("");
  const [pause, setPause] = useState(true);
  const running = live.status === "running";
  return (
    <section aria-label="Run a comparison">
      <form
        className="compare-start"
        onSubmit={(event) => {
          event.preventDefault();
          void store.getState().start([left.trim(), right.trim()], pause);
        }}
      >
        <label>
          Left model <input value={left} onChange={(e) => setLeft(e.target.value)} required />
        </label>
        <label>
          Right model <input value={right} onChange={(e) => setRight(e.target.value)} required />
        </label>
        <label>
          <input type="checkbox" checked={pause} onChange={(e) => setPause(e.target.checked)} />
          Pause at the first disagreement
        </label>
        <button type="submit" disabled={running}>
          Run both on the chosen task
        </button>
        {running && (
          <button type="button" onClick={() => store.getState().stop()}>
            Stop both
          </button>
        )}
      </form>
      {live.status === "failed" && (
        <p className="warning" role="alert">
          {live.message}
        </p>
      )}
      {(live.status === "running" || live.status === "done") && (
        <>
          {live.question && (
            <div className="compare-question" role="alertdialog" aria-label="They disagree">
              <p>
                At step {live.question.step} they disagree:{" "}
                {DIVERGENCE_REASONS[live.question.reason]}. Neither call has run.
              </p>
              {DECISIONS.map(({ decision, label }) => (
                <button
                  key={decision}
                  type="button"
                  onClick={() => store.getState().answer(decision)}
                >
                  {label}
                </button>
              ))}
            </div>
          )}
          {live.savedId && (
            <a href={formatRoute({ page: "compare", comparisonId: live.savedId })}>
              Saved: open this comparison
            </a>
          )}
          <ComparisonSteps view={live.view} />
        </>
      )}
    </section>
  );
}

function ShareLink({ store }: { store: StoreApi<CompareState> }) {
  const [link, setLink] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const make = () => {
    store
      .getState()
      .linkPayload()
      .then(
        (payload) => {
          const url = new URL(location.href);
          url.hash = formatRoute({ page: "compare-share", payload });
          setLink(url.href);
        },
        (error: Error) => setProblem(error.message),
      );
  };
  return (
    <div className="compare-share">
      <button type="button" onClick={make}>
        Share as a link
      </button>
      {link && (
        <input readOnly value={link} aria-label="Comparison link" data-testid="compare-link" />
      )}
      {problem && <p className="warning">{problem}</p>}
    </div>
  );
}

export function ComparePage({
  route,
  store,
  defaultModel,
}: {
  route: CompareRoute;
  store: StoreApi<CompareState>;
  /** The model in Settings, offered for the left side. */
  defaultModel: string;
}) {
  const opened = useStore(store, (s) => s.opened);
  const id = route.page === "compare" ? route.comparisonId : undefined;
  const payload = route.page === "compare-share" ? route.payload : undefined;
  useEffect(() => {
    if (id) void store.getState().openSaved(id);
    else if (payload) void store.getState().openShared(payload);
  }, [id, payload, store]);
  if (!id && !payload) {
    return (
      <main className="compare-page">
        <StartComparison store={store} defaultModel={defaultModel} />
        <ComparisonList store={store} />
      </main>
    );
  }
  return (
    <main className="compare-page">
      <a href={formatRoute({ page: "compare" })}>All comparisons</a>
      {opened.status === "loading" && <p>Opening the comparison…</p>}
      {opened.status === "failed" && (
        <p className="warning" role="alert" data-testid="compare-error">
          {opened.message}
        </p>
      )}
      {opened.status === "shown" && (
        <>
          <h2>
            {opened.view.comparison.task.title}: {opened.view.comparison.agents[0].model} vs{" "}
            {opened.view.comparison.agents[1].model}
            {opened.shared && " (shared)"}
          </h2>
          {!opened.shared && <ShareLink store={store} />}
          <ComparisonSteps view={opened.view} />
        </>
      )}
    </main>
  );
}
