// The person's Linux console: xterm with fit-to-size, batched writes, copy and paste, and the size passed to the guest.
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef } from "react";
import type { ConsolePort } from "../../state/vm-store";

const TERMINAL_FONT_SIZE_PX = 14;

/** Joins the chunks of one frame into a single buffer (one xterm write per frame). */
function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export function TerminalView({ port }: { port: ConsolePort }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const terminal = new Terminal({
      // NOTE: a blinking cursor is a CSS animation that restyles the page at every frame: with it, the
      // idle page took 13% of a host core, without it 5% (npm run bench:browser, page_idle_cpu_percent).
      cursorBlink: false,
      fontSize: TERMINAL_FONT_SIZE_PX,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      scrollback: 5000,
      theme: { background: "#0d1117", foreground: "#e6edf3", cursor: "#58a6ff" },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(element);
    fit.fit();

    let pending: Uint8Array[] = [];
    let frame = 0;
    const offData = port.onData((bytes) => {
      pending.push(bytes);
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        terminal.write(concat(pending));
        pending = [];
      });
    });
    const input = terminal.onData((data) => port.write(data));
    // Ctrl+Shift+C / Ctrl+Shift+V copy and paste, as in desktop terminals (Ctrl+C stays an interrupt).
    terminal.attachCustomKeyEventHandler((event) => {
      if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey) return true;
      if (event.code === "KeyC" && terminal.hasSelection()) {
        void navigator.clipboard?.writeText(terminal.getSelection()).catch(() => undefined);
        return false;
      }
      if (event.code === "KeyV") {
        void navigator.clipboard
          ?.readText()
          .then((text) => terminal.paste(text))
          .catch(() => undefined);
        return false;
      }
      return true;
    });
    const resized = terminal.onResize(({ rows, cols }) => port.resize(rows, cols));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    port.resize(terminal.rows, terminal.cols);
    port.write("\r"); // the prompt was printed before this terminal existed: ask for a fresh one
    terminal.focus();

    return () => {
      cancelAnimationFrame(frame);
      offData();
      input.dispose();
      resized.dispose();
      observer.disconnect();
      terminal.dispose();
    };
  }, [port]);

  return <div className="terminal" ref={container} data-testid="terminal" />;
}
