// The suites view: the picker, the suite under way (progress, time left, pause, stop), saved suites, their results, export and import.
import { useEffect, useMemo, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import { suiteLeaderboard } from "../../domain/leaderboard";
import { pendingItems, type SuiteRecord } from "../../domain/suite";
import type { CatalogueState } from "../../state/catalogue-store";
import { runIsDamage } from "../../state/run-labels";
import type { RunState } from "../../state/run-store";
import type { SettingsState } from "../../state/settings-store";
import type { RunRecord } from "../../domain/run";
import type { TaskBundle } from "../../domain/task";
import {
  estimateItemsMs,
  estimateSuiteMs,
  suiteIsBusy,
  suiteProgress,
  type SuiteState,
} from "../../state/suite-store";
import { LeaderboardTable, PolicyComparisonTable, agentName } from "./LeaderboardTable";
import { SuiteCharts } from "./SuiteCharts";
import { SuitePicker, roughTime } from "./SuitePicker";
import "./suites.css";

export interface SuitesPanelProps {
  suites: StoreApi<SuiteState>;
  run: StoreApi<RunState>;
  catalogue: StoreApi<CatalogueState>;
  settings: StoreApi<SettingsState>;
}

function Progress({
  store,
  suite,
  history,
}: {
  store: StoreApi<SuiteState>;
  suite: SuiteRecord;
  history: readonly RunRecord[];
}) {
  const { phase, current, itemMs, resumedAfterReload, pause, stop, run } = useStore(store);
  const progress = suiteProgress(suite, itemMs);
  const { done, total } = progress;
  // Until a run has ended in this tab, the time left is estimated as the picker does.
  const msLeft = progress.msLeft ?? estimateItemsMs(pendingItems(suite), history);
  const busy = suiteIsBusy(phase);
  return (
    <section className="suite-progress" aria-label="Suite under way" data-testid="suite-progress">
      <h3>{suite.name}</h3>
      <progress max={total} value={done} aria-label="Runs done" />
      <p>
        <span data-testid="suite-done">
          {done}/{total} runs done
        </span>
        {busy && msLeft !== undefined && ` · ${roughTime(msLeft)} left`}
        {phase === "paused" && " · paused"}
        {phase === "done" && " · finished"}
      </p>
      {current && busy && (
        <p className="muted">
          Now: {current.taskId} by {agentName(current.agent)}, trial {current.trial}
          {phase === "pausing" && " (the suite pauses when this run ends)"}
          {phase === "stopping" && " (stopping; this run runs again when you resume)"}
        </p>
      )}
      {resumedAfterReload && busy && (
        <p className="warning" data-testid="suite-resumed">
          The page was reloaded while this suite ran: it went on where it was, and the run that was
          under way runs again from the start.
        </p>
      )}
      {phase === "running" && (
        <button type="button" onClick={pause}>
          Pause after this run
        </button>
      )}{" "}
      {busy && (
        <button type="button" className="danger" onClick={stop} disabled={phase === "stopping"}>
          Stop now
        </button>
      )}
      {phase === "paused" && pendingItems(suite).length > 0 && (
        <button type="button" className="primary" onClick={() => void run(suite.id)}>
          Resume
        </button>
      )}
    </section>
  );
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const fileName = (suite: SuiteRecord) =>
  `opslab-suite-${suite.name.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40) || "suite"}.json`;

function SuiteList({
  store,
  selectedId,
  onSelect,
}: {
  store: StoreApi<SuiteState>;
  selectedId: string | undefined;
  onSelect(id: string): void;
}) {
  const { suites, phase, activeId, run, remove, exportSuite } = useStore(store);
  if (suites.length === 0) return <p className="muted">No suites yet.</p>;
  const busy = suiteIsBusy(phase);
  return (
    <ul className="suite-list" data-testid="suite-list">
      {suites.map((suite) => {
        const { done, total } = suiteProgress(suite, []);
        const mine = busy && activeId === suite.id;
        return (
          <li key={suite.id} aria-current={suite.id === selectedId}>
            <button type="button" className="link" onClick={() => onSelect(suite.id)}>
              {suite.name}
            </button>{" "}
            <span className="muted">
              {done}/{total} runs · {new Date(suite.createdAt).toLocaleString()}
            </span>{" "}
            {done < total && !busy && (
              <button type="button" onClick={() => void run(suite.id)}>
                {done ? "Resume" : "Run"}
              </button>
            )}{" "}
            <button
              type="button"
              onClick={() => {
                const archive = exportSuite(suite.id);
                if (archive) download(fileName(suite), JSON.stringify(archive, null, 1));
              }}
            >
              Export
            </button>{" "}
            <button type="button" disabled={mine} onClick={() => void remove(suite.id)}>
              Delete
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function ImportButton({ store }: { store: StoreApi<SuiteState> }) {
  const importArchive = useStore(store, (s) => s.importArchive);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  return (
    <div className="suite-import">
      <label>
        Import a suite file (from this page or npm run suite){" "}
        <input
          type="file"
          accept=".json,application/json"
          data-testid="suite-import"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (!file) return;
            try {
              const raw: unknown = JSON.parse(await file.text());
              const { runs, suites } = await importArchive(raw);
              setMessage({
                ok: true,
                text: `Imported ${suites.length} suites and ${runs} runs from ${file.name}.`,
              });
            } catch (error) {
              const text =
                error instanceof SyntaxError
                  ? `${file.name} is not JSON (${error.message}). Nothing was imported.`
                  : (error as Error).message;
              setMessage({ ok: false, text });
            }
          }}
        />
      </label>
      {message && (
        <p role="status" className={message.ok ? "ok" : "fail"} data-testid="suite-import-message">
          {message.text}
        </p>
      )}
    </div>
  );
}

function Results({
  suite,
  run,
  tasks,
}: {
  suite: SuiteRecord;
  run: StoreApi<RunState>;
  tasks: readonly TaskBundle[];
}) {
  const history = useStore(run, (s) => s.history);
  const board = useMemo(() => {
    const byId = new Map(tasks.map((t) => [t.meta.id, t]));
    const damage = (r: RunRecord) => runIsDamage(r, byId.get(r.task.id));
    return suiteLeaderboard(suite, new Map(history.map((r) => [r.id, r])), damage);
  }, [suite, history, tasks]);
  const missing = Object.keys(suite.runs).length - board.overall.all.runs;
  return (
    <section className="suite-results" aria-label={`Results of ${suite.name}`}>
      <h3>Results of {suite.name}</h3>
      {missing > 0 && (
        <p className="warning">
          {missing} of this suite's runs are not in this browser (deleted, or the file had them
          not): they are left out.
        </p>
      )}
      <LeaderboardTable board={board} />
      <PolicyComparisonTable board={board} />
      <SuiteCharts board={board} />
    </section>
  );
}

export function SuitesPanel({ suites, run, catalogue, settings }: SuitesPanelProps) {
  const state = useStore(suites);
  const tasks = useStore(catalogue, (s) => s.tasks);
  const { presetId, model, effort } = useStore(settings, (s) => s.settings);
  const history = useStore(run, (s) => s.history);
  const [selectedId, setSelectedId] = useState<string>();
  const active = state.suites.find((s) => s.id === state.activeId);
  const selected =
    state.suites.find((s) => s.id === selectedId) ?? active ?? state.suites.at(0) ?? undefined;

  // A suite that starts is the one whose results are shown.
  useEffect(
    () =>
      suites.subscribe((s, before) => {
        if (s.activeId && s.activeId !== before.activeId) setSelectedId(s.activeId);
      }),
    [suites],
  );

  return (
    <div className="suites-panel" data-testid="suites-panel">
      <h2>Suites</h2>
      {state.storageNote && <p className="warning">{state.storageNote}</p>}
      {state.error && (
        <p className="fail" role="alert" data-testid="suite-error">
          {state.error}
        </p>
      )}
      {active && state.phase !== "idle" && (
        <Progress store={suites} suite={active} history={history} />
      )}
      <details className="suite-new" open={state.suites.length === 0}>
        <summary>New suite</summary>
        <SuitePicker
          tasks={tasks}
          provider={presetId}
          model={model}
          effort={effort}
          estimateMs={(spec) => estimateSuiteMs(spec, history)}
          disabled={suiteIsBusy(state.phase)}
          onCreate={async (name, spec) => {
            const suite = await state.create(name, spec);
            setSelectedId(suite.id);
            void state.run(suite.id);
          }}
        />
      </details>
      <SuiteList store={suites} selectedId={selected?.id} onSelect={setSelectedId} />
      <ImportButton store={suites} />
      {selected && <Results suite={selected} run={run} tasks={tasks} />}
    </div>
  );
}
