// The live timeline of a run: each step's reasoning, command, output, warnings, and the verdict.
import type { ReactNode } from "react";
import type { RunEvent, ToolOutcome } from "../../domain/run";
import { STOP_REASONS, seconds } from "./describe";
import { Verdict } from "./Verdict";

/** Outputs up to this many lines show open; longer ones start folded. */
const OPEN_OUTPUT_LINES = 12;

function Output({ outcome }: { outcome: ToolOutcome }) {
  if (outcome.kind === "file-written")
    return (
      <p className="result ok">
        wrote {outcome.bytes} bytes · {seconds(outcome.durationMs)}
      </p>
    );
  if (outcome.kind === "rejected") return <p className="result fail">{outcome.message}</p>;
  if (outcome.kind === "failed")
    return (
      <p className="result fail" data-testid="tool-error">
        {outcome.message} · {seconds(outcome.durationMs)}
      </p>
    );
  if (outcome.kind === "finished") return null;
  const text = [outcome.stdout, outcome.stderr && `${outcome.stderr}`].filter(Boolean).join("\n");
  const lines = text.split("\n").length;
  return (
    <div className="result">
      <span className={`exit ${outcome.exitCode === 0 ? "ok" : "fail"}`} data-testid="exit-code">
        exit {outcome.exitCode}
      </span>{" "}
      <span className="muted">
        {seconds(outcome.durationMs)}
        {outcome.timedOut && " · killed at its time limit"}
        {outcome.truncated && " · output cut"}
      </span>
      {text && (
        <details open={lines <= OPEN_OUTPUT_LINES}>
          <summary>{lines} lines of output</summary>
          <pre className="output">
            {outcome.stdout}
            {outcome.stderr && <span className="stderr">{outcome.stderr}</span>}
          </pre>
        </details>
      )}
    </div>
  );
}

function Event({ event }: { event: RunEvent }): ReactNode {
  switch (event.type) {
    case "setup":
      return (
        <p className="muted" data-testid="setup">
          {event.fromSavedState
            ? `Task restored from its saved state in ${seconds(event.durationMs)}`
            : `Task set up in ${seconds(event.durationMs)}`}
          ; the agent starts.{event.note ? ` (${event.note})` : ""}
        </p>
      );
    case "reasoning":
      return <p className="reasoning">{event.text}</p>;
    case "tool-call": {
      const { input } = event;
      if (input.tool === "run_command")
        return (
          <pre className="command" data-testid="command">
            $ {input.command}
          </pre>
        );
      if (input.tool === "write_file")
        return (
          <details className="command">
            <summary>write {input.path}</summary>
            <pre>{input.content}</pre>
          </details>
        );
      if (input.tool === "finish") return <p className="finish">Finish: {input.summary}</p>;
      return (
        <p className="result fail">
          Malformed call to {input.name}: {input.problem}
        </p>
      );
    }
    case "tool-result":
      return <Output outcome={event.outcome} />;
    case "warning":
      return (
        <p className="warning" role="note" data-testid="warning">
          ⚠ <strong>{event.label}</strong> (step {event.steps.join(", ")}): {event.message}
        </p>
      );
    case "retry":
      return (
        <p className="muted">
          ↻ Retry {event.attempt} in {seconds(event.waitMs)}: {event.message}
        </p>
      );
    case "limit":
      return <p className="warning">⏹ {event.message}</p>;
    case "error":
      return (
        <p className="error" role="alert">
          {event.message}
        </p>
      );
    case "finished":
      return (
        <p className="finished" data-testid="finished">
          {STOP_REASONS[event.reason]}
          {event.summary ? `: ${event.summary}` : "."}
        </p>
      );
    case "graded":
      return <Verdict grade={event.grade} />;
    default:
      return null;
  }
}

export function RunTimeline({ events, liveText }: { events: RunEvent[]; liveText: string }) {
  let lastStep = 0;
  const items: ReactNode[] = [];
  events.forEach((event, i) => {
    if (event.type === "usage" || event.type === "started") return;
    const step = "step" in event ? event.step : undefined;
    if (step !== undefined && step !== lastStep) {
      lastStep = step;
      items.push(
        <h3 key={`step-${step}`} id={`step-${step}`} className="step-heading">
          Step {step} <span className="muted">{seconds(event.atMs)}</span>
        </h3>,
      );
    }
    items.push(<Event key={i} event={event} />);
  });
  return (
    <ol className="timeline" data-testid="timeline" aria-live="polite">
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
      {liveText && (
        <li>
          <p className="reasoning live">{liveText}</p>
        </li>
      )}
    </ol>
  );
}
