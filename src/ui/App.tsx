// The app shell: header, the boot screen until Linux is ready, then the person's terminal.
import { useEffect } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { VmState } from "../state/vm-store";
import { BootScreen } from "./boot/BootScreen";
import { TerminalView } from "./terminal/TerminalView";
import "./app.css";

export function App({ vmStore }: { vmStore: StoreApi<VmState> }) {
  const status = useStore(vmStore, (s) => s.status);
  const startedAt = useStore(vmStore, (s) => s.startedAt);
  const port = useStore(vmStore, (s) => s.console);
  const start = useStore(vmStore, (s) => s.start);

  useEffect(() => {
    void start();
  }, [start]);

  const label =
    status.phase === "ready"
      ? "Linux ready"
      : status.phase === "error"
        ? "Linux failed to start"
        : "Starting Linux…";
  return (
    <div className="app">
      <header className="app-header">
        <h1>OpsLab</h1>
        <span
          data-testid="vm-status"
          role="status"
          className={`vm-status vm-status-${status.phase}`}
        >
          {label}
        </span>
      </header>
      <main className="app-main">
        {port ? (
          <TerminalView port={port} />
        ) : (
          <BootScreen status={status} startedAt={startedAt} onRetry={() => void start()} />
        )}
      </main>
    </div>
  );
}
