// A read-only terminal replaying the agent's commands and their output, as over an admin's shoulder.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import { useEffect, useRef } from "react";
import type { StoreApi } from "zustand/vanilla";
import type { RunEvent } from "../../domain/run";
import type { RunState } from "../../state/run-store";

const PROMPT = "\x1b[1;32mroot@opslab\x1b[0m:\x1b[1;34m~\x1b[0m# ";
const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");

function render(event: RunEvent): string {
  if (event.type === "tool-call") {
    const { input } = event;
    if (input.tool === "run_command") return `${PROMPT}${crlf(input.command)}\r\n`;
    if (input.tool === "write_file")
      return `${PROMPT}\x1b[2m# write ${input.path} (${input.content.length} chars)\x1b[0m\r\n`;
    return "";
  }
  if (event.type === "tool-result" && event.outcome.kind === "command") {
    const { stdout, stderr, timedOut, exitCode } = event.outcome;
    let out = crlf(stdout) + (stderr ? `\x1b[31m${crlf(stderr)}\x1b[0m` : "");
    if (out && !out.endsWith("\r\n")) out += "\r\n";
    if (timedOut) out += "\x1b[33m[killed at its time limit]\x1b[0m\r\n";
    else if (exitCode !== 0) out += `\x1b[2m[exit ${exitCode}]\x1b[0m\r\n`;
    return out;
  }
  if (event.type === "tool-result" && event.outcome.kind === "failed")
    return `\x1b[31m${crlf(event.outcome.message)}\x1b[0m\r\n`;
  if (event.type === "setup")
    return event.fromSavedState
      ? "\x1b[2m[task restored from its saved state]\x1b[0m\r\n"
      : "\x1b[2m[clean VM, task set up]\x1b[0m\r\n";
  return "";
}

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
      if (events.length < written) {
        terminal.reset();
        written = 0;
      }
      const text = events.slice(written).map(render).join("");
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
