// The replay's terminal: xterm showing the agent's terminal as it was after the frames up to the cursor.
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import { useEffect, useRef } from "react";
import { FULL_RESET } from "../run/terminal-text";
import { terminalDelta, type Replay } from "./playback";

/** Lines kept above the screen: a replay can be scrolled back like the live terminal. */
const SCROLLBACK_LINES = 10_000;

export function ReplayTerminal({ replay, at }: { replay: Replay; at: number }) {
  const container = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | undefined>(undefined);
  /** How many frames the terminal shows now. */
  const shown = useRef(0);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const xterm = new Terminal({
      disableStdin: true,
      fontSize: 13,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      scrollback: SCROLLBACK_LINES,
      theme: { background: "#0d1117", foreground: "#e6edf3" },
    });
    const fit = new FitAddon();
    xterm.loadAddon(fit);
    xterm.open(element);
    fit.fit();
    terminal.current = xterm;
    shown.current = 0;
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    return () => {
      observer.disconnect();
      xterm.dispose();
      terminal.current = undefined;
    };
  }, []);

  // NOTE: declared after the effect that makes the terminal, so it runs after it on mount.
  useEffect(() => {
    const xterm = terminal.current;
    if (!xterm) return;
    // Going back, the terminal is reset and written again up to the cursor (one write, fast).
    const { reset, text } = terminalDelta(replay, shown.current, at, SCROLLBACK_LINES + xterm.rows);
    // NOTE: two steps back in a row showed the first one's text above the second's with reset().
    const data = (reset ? FULL_RESET : "") + text;
    if (data) xterm.write(data);
    shown.current = at;
  }, [replay, at]);

  return (
    <div
      className="terminal replay-terminal"
      ref={container}
      data-testid="replay-terminal"
      data-frames={at}
    />
  );
}
