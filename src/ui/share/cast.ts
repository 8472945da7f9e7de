// The agent's terminal as an asciinema cast (v2): a header line, then [seconds, "o", text] lines at the events' times.
import type { RunRecord } from "../../domain/run";
import { render } from "../run/terminal-text";

/** The cast's screen: wide enough for most command output without wrapping. */
export const CAST_COLUMNS = 120;
export const CAST_ROWS = 32;

/** The cast file's text (newline-delimited JSON, asciicast v2). */
export function runCast(record: RunRecord): string {
  const header = {
    version: 2,
    width: CAST_COLUMNS,
    height: CAST_ROWS,
    timestamp: Math.floor(Date.parse(record.createdAt) / 1000),
    title: `OpsLab: ${record.task.title} (${record.agent.model})`,
    env: { TERM: "xterm-256color", SHELL: "/bin/bash" },
  };
  const lines = [JSON.stringify(header)];
  let lastMs = 0;
  for (const event of record.events) {
    const text = render(event);
    if (!text) continue;
    // NOTE: a cast's times never go back; events are in order, their clocks nearly so.
    lastMs = Math.max(lastMs, event.atMs);
    lines.push(JSON.stringify([lastMs / 1000, "o", text]));
  }
  return `${lines.join("\n")}\n`;
}

export function castFileName(record: RunRecord): string {
  return `${record.task.id}-${record.createdAt.slice(0, 10)}.cast`;
}
