// A read-only terminal replaying the agent's commands and their output, as over an admin's shoulder.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import { useEffect, useRef } from "react";
import type { StoreApi } from "zustand/vanilla";
import type { RunEvent } from "../../domain/run";
import type { RunState } from "../../state/run-store";
import { FULL_RESET, render } from "./terminal-text";

export function AgentTerminal({ store }: { store: StoreApi<RunState> }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const terminal = new Terminal({
      disableStdin: true,
      fontSize: 14,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      scrollback: 10_000,
      theme: { background: "#0d1117", foreground: "#e6edf3" },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(element);
    fit.fit();
    let written = 0;
    const sync = (events: RunEvent[]) => {
      // A new run: the terminal starts afresh (after whatever of the last run is still being drawn).
      const reset = events.length < written;
      if (reset) written = 0;
      const text = (reset ? FULL_RESET : "") + events.slice(written).map(render).join("");
      written = events.length;
      if (text) terminal.write(text);
    };
    sync(store.getState().events);
    const unsubscribe = store.subscribe((s) => sync(s.events));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    return () => {
      unsubscribe();
      observer.disconnect();
      terminal.dispose();
    };
  }, [store]);

  return <div className="terminal" ref={container} data-testid="agent-terminal" />;
}
