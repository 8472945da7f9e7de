// The app shell: header, catalogue, the chosen task with the terminals, and the run panel, each behind an error boundary.
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { RunRecord } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import type { CatalogueState } from "../state/catalogue-store";
import type { ForkState } from "../state/fork-store";
import type { HistoryState } from "../state/history-store";
import type { RunState } from "../state/run-store";
import type { SettingsState } from "../state/settings-store";
import type { ShareState } from "../state/share-store";
import type { SuiteState } from "../state/suite-store";
import type { VerifyState } from "../state/verify-store";
import type { ExplainState } from "../state/explain-store";
import type { VmState } from "../state/vm-store";
import type { CompareState } from "../state/compare-store";
import { BootScreen } from "./boot/BootScreen";
import { ComparePage } from "./compare/ComparePage";
import { ErrorBoundary } from "./ErrorBoundary";
import { ForkPanel } from "./fork/ForkPanel";
import { vmStatusLabel } from "./header/vm-status-label";
import { HistoryView } from "./history/HistoryView";
import { AgentTerminal } from "./run/AgentTerminal";
import { RunPanel } from "./run/RunPanel";
import { RunReplayPage } from "./replay/RunReplayPage";
import { SettingsDialog } from "./settings/SettingsDialog";
import { SharedRunPage } from "./share/SharedRunPage";
import { CataloguePanel } from "./tasks/CataloguePanel";
import { TaskDetail } from "./tasks/TaskDetail";
import { TerminalView } from "./terminal/TerminalView";
import { formatRoute, useRoute, type Route } from "./routes";
import "./app.css";

/** The suites page and its chart library load when first opened, not with the page. */
const SuitesPanel = lazy(() =>
  import("./suites/SuitesPanel").then(({ SuitesPanel }) => ({ default: SuitesPanel })),
);

export interface AppStores {
  vm: StoreApi<VmState>;
  catalogue: StoreApi<CatalogueState>;
  settings: StoreApi<SettingsState>;
  run: StoreApi<RunState>;
  history: StoreApi<HistoryState>;
  suites: StoreApi<SuiteState>;
  share: StoreApi<ShareState>;
  /** Verifying a run: its recorded commands replayed in this tab's VM and graded again. */
  verify: StoreApi<VerifyState>;
  /** Forking a run at a step: Linux put right after it, for the shell or an agent taking over. */
  fork: StoreApi<ForkState>;
  /** Finding where a failed run went wrong: replayed a prefix at a time in this tab's VM. */
  explain?: StoreApi<ExplainState>;
  /** Two models on one task: comparisons kept here or opened from a link. */
  compare?: StoreApi<CompareState>;
  listModels: () => Promise<string[]>;
}

type TerminalTab = "shell" | "agent";
/**
 * The header's pages: the lab (tasks, terminals, the run), suites (beside the run panel), two
 * models compared, history; and a run opened from a share link, which has no tab.
 */
type Page = "lab" | "suites" | "history" | "share" | "compare";
type TabPage = Exclude<Page, "share">;
const PAGE_NAMES: Record<TabPage, string> = {
  lab: "Lab",
  suites: "Suites",
  compare: "Compare",
  history: "History",
};

/** The header page a route shows (a saved run opens in the history). */
function pageOf(route: Route): Page {
  if (route.page === "run") return "history";
  if (route.page === "compare-share") return "compare";
  return route.page;
}

export function App({ stores }: { stores: AppStores }) {
  const start = useStore(stores.vm, (s) => s.start);
  const tasks = useStore(stores.catalogue, (s) => s.tasks);
  const selectedId = useStore(stores.catalogue, (s) => s.selectedId);
  const model = useStore(stores.settings, (s) => s.settings.model);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [tab, setTab] = useState<TerminalTab>("shell");
  const pages = usePages(stores);
  const { page, setPage, replay } = pages;
  // "Fork from here": the Lab shows the fork's progress, then its machine in the shell.
  const forkAt = useCallback(
    (record: RunRecord, task: TaskBundle | undefined, step: number) => {
      if (task) stores.catalogue.getState().select(task.meta.id);
      setTab("shell");
      setPage("lab");
      void stores.fork.getState().fork(record, task, step);
    },
    [stores.catalogue, stores.fork, setPage],
  );

  useEffect(() => {
    void start();
  }, [start]);

  // Watching the agent is the point of a run: switch to its terminal when one starts.
  useEffect(
    () =>
      stores.run.subscribe((s, before) => {
        if (s.phase === "preparing" && before.phase !== "preparing") setTab("agent");
      }),
    [stores.run],
  );

  const task = tasks.find((t) => t.meta.id === selectedId);
  return (
    <div className="app">
      <AppHeader
        stores={stores}
        page={page}
        onPage={setPage}
        onSettings={() => setSettingsOpen(true)}
      />
      <RoutedPages stores={stores} pages={pages} tasks={tasks} model={model} onFork={forkAt} />
      {/* NOTE: hidden, not unmounted, on other pages: Linux and a running agent go on. */}
      <div
        className="app-body"
        hidden={page === "history" || page === "share" || page === "compare"}
      >
        {page === "lab" && (
          <ErrorBoundary part="The task list">
            <CataloguePanel store={stores.catalogue} />
          </ErrorBoundary>
        )}
        {page === "suites" && <SuitesWorkspace stores={stores} />}
        {/* NOTE: hidden, not unmounted, on the suites page: the terminals keep their screens. */}
        <LabWorkspace
          stores={stores}
          task={task}
          tasks={tasks}
          model={model}
          hidden={page !== "lab"}
          tab={tab}
          onTab={setTab}
        />
        <ErrorBoundary part="The run panel">
          <RunPanel store={stores.run} onReplay={replay} share={stores.share} />
        </ErrorBoundary>
      </div>
      <ErrorBoundary part="Settings">
        <SettingsDialog
          store={stores.settings}
          open={settingsOpen}
          onClose={() => setSettingsOpen(false)}
          listModels={stores.listModels}
        />
      </ErrorBoundary>
    </div>
  );
}

/** The page's route and the ways to change it: the header's pages, a saved run's replay and its step. */
interface Pages {
  route: Route;
  page: Page;
  setPage: (next: TabPage) => void;
  /** The saved run the address opens, and the step it shows. */
  routedRunId: string | undefined;
  routedStep: number | undefined;
  replay: (runId: string) => void;
  showStep: (step: number) => void;
  showSharedStep: (step: number) => void;
}

/**
 * The page's route, kept in the address; a suite that starts shows the suites page, and a saved run's
 * address opens its detail in the history.
 */
function usePages(stores: Pick<AppStores, "suites" | "history">): Pages {
  const [route, go] = useRoute();
  const page = pageOf(route);
  const setPage = useCallback((next: TabPage) => go({ page: next }), [go]);
  // A suite that starts (one resumed after a reload too) is shown, with its progress.
  useEffect(() => {
    if (stores.suites.getState().activeId) setPage("suites");
    return stores.suites.subscribe((s, before) => {
      if (s.activeId && s.activeId !== before.activeId) setPage("suites");
    });
  }, [stores.suites, setPage]);
  // A saved run's address opens it in the replay viewer, and its detail in the history beneath.
  const routedRunId = route.page === "run" ? route.runId : undefined;
  const routedStep = route.page === "run" ? route.step : undefined;
  const replay = useCallback((runId: string) => go({ page: "run", runId }), [go]);
  // NOTE: the step shown replaces the address, so Back leaves the replay rather than stepping.
  const showStep = useCallback(
    (step: number) => {
      if (routedRunId) go({ page: "run", runId: routedRunId, step }, { replace: true });
    },
    [go, routedRunId],
  );
  const sharedPayload = route.page === "share" ? route.payload : undefined;
  const showSharedStep = useCallback(
    (step: number) => {
      if (sharedPayload) go({ page: "share", payload: sharedPayload, step }, { replace: true });
    },
    [go, sharedPayload],
  );
  useEffect(() => {
    if (routedRunId) stores.history.getState().openDetail(routedRunId);
  }, [routedRunId, stores.history]);
  return { route, page, setPage, routedRunId, routedStep, replay, showStep, showSharedStep };
}

/** The header: Linux's status, a note when saved settings were reset, the page tabs, Settings. */
function AppHeader({
  stores,
  page,
  onPage,
  onSettings,
}: {
  stores: Pick<AppStores, "vm" | "settings" | "compare">;
  page: Page;
  onPage: (next: TabPage) => void;
  onSettings: () => void;
}) {
  const status = useStore(stores.vm, (s) => s.status);
  const warmUp = useStore(stores.vm, (s) => s.warmUp);
  const settingsNotice = useStore(stores.settings, (s) => s.notice);
  const label = vmStatusLabel(status, warmUp);
  return (
    <header className="app-header">
      <h1>OpsLab</h1>
      <span
        data-testid="vm-status"
        role="status"
        className={`vm-status vm-status-${status.phase}`}
        title={label.detail}
      >
        {label.text}
      </span>
      {settingsNotice && (
        <span className="warning settings-notice" role="status" data-testid="settings-notice">
          Some saved settings were reset: see Settings.
        </span>
      )}
      <nav className="page-tabs" aria-label="Pages">
        {(["lab", "suites", "compare", "history"] as const)
          .filter((name) => name !== "compare" || stores.compare)
          .map((name) => (
            <button
              key={name}
              type="button"
              aria-current={page === name ? "page" : undefined}
              onClick={() => onPage(name)}
            >
              {PAGE_NAMES[name]}
            </button>
          ))}
      </nav>
      <button type="button" className="settings-button" onClick={onSettings}>
        Settings
      </button>
    </header>
  );
}

/** The pages a route shows instead of the Lab: history, a shared run, comparisons, a saved run's replay. */
function RoutedPages({
  stores,
  pages,
  tasks,
  model,
  onFork,
}: {
  stores: AppStores;
  pages: Pages;
  tasks: TaskBundle[];
  model: string;
  onFork: (record: RunRecord, task: TaskBundle | undefined, step: number) => void;
}) {
  const { route, page, setPage, routedRunId, routedStep, replay, showStep, showSharedStep } = pages;
  return (
    <>
      {page === "history" && !routedRunId && (
        <ErrorBoundary part="History">
          <HistoryView
            runStore={stores.run}
            store={stores.history}
            onReplay={replay}
            share={stores.share}
            verifyStore={stores.verify}
            tasks={tasks}
          />
        </ErrorBoundary>
      )}
      {route.page === "share" && (
        <ErrorBoundary part="The shared run" resetKey={route.payload}>
          <SharedRunPage
            payload={route.payload}
            step={route.step}
            onStep={showSharedStep}
            share={stores.share}
            verifyStore={stores.verify}
            onFork={onFork}
            {...(stores.explain && { explainStore: stores.explain })}
          />
        </ErrorBoundary>
      )}
      {(route.page === "compare" || route.page === "compare-share") && stores.compare && (
        <ErrorBoundary part="The comparison" resetKey={formatRoute(route)}>
          <ComparePage route={route} store={stores.compare} defaultModel={model} />
        </ErrorBoundary>
      )}
      {routedRunId && (
        <main className="history-view">
          <ErrorBoundary part="The replay" resetKey={routedRunId}>
            <RunReplayPage
              runStore={stores.run}
              tasks={tasks}
              runId={routedRunId}
              step={routedStep}
              onStep={showStep}
              onBack={() => setPage("history")}
              share={stores.share}
              verifyStore={stores.verify}
              onFork={onFork}
              {...(stores.explain && { explainStore: stores.explain })}
            />
          </ErrorBoundary>
        </main>
      )}
    </>
  );
}

/** The suites page beside the run panel; its chart library loads when it is first opened. */
function SuitesWorkspace({
  stores,
}: {
  stores: Pick<AppStores, "suites" | "run" | "catalogue" | "settings">;
}) {
  return (
    <main className="workspace suites-workspace">
      <ErrorBoundary part="Suites">
        <Suspense fallback={<p className="muted">Loading suites…</p>}>
          <SuitesPanel
            suites={stores.suites}
            run={stores.run}
            catalogue={stores.catalogue}
            settings={stores.settings}
          />
        </Suspense>
      </ErrorBoundary>
    </main>
  );
}

/** The Lab: the chosen task's ticket, a fork in progress, and the terminals (or Linux starting). */
function LabWorkspace({
  stores,
  task,
  tasks,
  model,
  hidden,
  tab,
  onTab,
}: {
  stores: Pick<AppStores, "vm" | "run" | "fork" | "settings">;
  task: TaskBundle | undefined;
  tasks: TaskBundle[];
  model: string;
  hidden: boolean;
  tab: TerminalTab;
  onTab: (tab: TerminalTab) => void;
}) {
  const ready = useStore(stores.vm, (s) => s.status.phase === "ready");
  const modelLabel = model ? `Your model: ${model}` : "Your model (set it in Settings)";
  return (
    <main className="workspace" hidden={hidden}>
      {task && (
        <ErrorBoundary part="The task's ticket" resetKey={task}>
          <TaskDetail
            task={task}
            runStore={stores.run}
            vmReady={ready}
            modelLabel={modelLabel}
            settings={stores.settings}
          />
        </ErrorBoundary>
      )}
      <ErrorBoundary part="The fork">
        <ForkPanel fork={stores.fork} run={stores.run} tasks={tasks} modelLabel={modelLabel} />
      </ErrorBoundary>
      <Terminals stores={stores} tab={tab} onTab={onTab} />
    </main>
  );
}

/** The terminal tabs: your shell and the agent's commands, or Linux's start-up screen until it is up. */
function Terminals({
  stores,
  tab,
  onTab,
}: {
  stores: Pick<AppStores, "vm" | "run">;
  tab: TerminalTab;
  onTab: (tab: TerminalTab) => void;
}) {
  const status = useStore(stores.vm, (s) => s.status);
  const startedAt = useStore(stores.vm, (s) => s.startedAt);
  const port = useStore(stores.vm, (s) => s.console);
  const start = useStore(stores.vm, (s) => s.start);
  return (
    <>
      <div className="terminal-tabs" role="tablist" aria-label="Terminals">
        {(["shell", "agent"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => onTab(name)}
          >
            {name === "shell" ? "Your shell" : "Agent's commands"}
          </button>
        ))}
      </div>
      <div className="terminal-area">
        {port ? (
          <>
            <div className="terminal-pane" hidden={tab !== "shell"}>
              <ErrorBoundary part="Your shell's terminal">
                <TerminalView port={port} />
              </ErrorBoundary>
            </div>
            <div className="terminal-pane" hidden={tab !== "agent"}>
              <ErrorBoundary part="The agent's terminal">
                <AgentTerminal store={stores.run} />
              </ErrorBoundary>
            </div>
          </>
        ) : (
          <ErrorBoundary part="Linux's start-up screen">
            <BootScreen status={status} startedAt={startedAt} onRetry={() => void start()} />
          </ErrorBoundary>
        )}
      </div>
    </>
  );
}
