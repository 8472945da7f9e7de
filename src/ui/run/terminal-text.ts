// The agent's terminal as text: each run event as the ANSI text xterm draws for it (live, replayed and exported).
import { describeApproval } from "../../domain/approval";
import type { RunEvent } from "../../domain/run";

/**
 * ESC c (RIS): the terminal's full reset, screen and scrollback. NOTE: written, not called
 * (`terminal.reset()`): xterm draws writes in a later task, so a reset called at once lands before
 * text still waiting to be drawn, which then shows above what follows the reset.
 */
export const FULL_RESET = "\x1bc";

const PROMPT = "\x1b[1;32mroot@opslab\x1b[0m:\x1b[1;34m~\x1b[0m# ";
const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");

/** The terminal text one event adds ("" for events the terminal does not show). */
export function render(event: RunEvent): string {
  if (event.type === "tool-call") {
    const { input } = event;
    if (input.tool === "run_command") return `${PROMPT}${crlf(input.command)}\r\n`;
    if (input.tool === "write_file")
      return `${PROMPT}\x1b[2m# write ${input.path} (${input.content.length} chars)\x1b[0m\r\n`;
    return "";
  }
  // A person's (or time-out's) decision shows under the call; an approval that changed nothing does not.
  if (event.type === "approval" && event.decision !== "approved")
    return `\x1b[33m[${crlf(describeApproval(event))}]\x1b[0m\r\n`;
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

/** The terminal text of events in order: what the agent's terminal shows after them. */
export function renderAll(events: readonly RunEvent[]): string {
  return events.map(render).join("");
}
