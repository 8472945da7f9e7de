// The live timeline of a run: each step's reasoning, command, output, warnings, and the verdict.
import type { ReactNode } from "react";
import { describeApproval } from "../../domain/approval";
import type { RunEvent, ToolOutcome } from "../../domain/run";
import { STOP_REASONS, seconds, tokensWithReasoning } from "./describe";
import { Verdict } from "./Verdict";

/** Outputs up to this many lines show open; longer ones start folded. */
const OPEN_OUTPUT_LINES = 12;
/** Thinking up to this many characters shows open; longer starts folded. */
const OPEN_THINKING_CHARS = 600;

/** The model's reasoning, apart from its visible text. NOTE: the model's words, rendered as text. */
function Thinking({ event }: { event: Extract<RunEvent, { type: "reasoning" }> }) {
  if (event.kind === "redacted-thinking")
    return (
      <p className="thinking muted" data-testid="thinking">
        Thinking: redacted (the provider sent it encrypted)
      </p>
    );
  return (
    <details className="thinking" open={event.text.length <= OPEN_THINKING_CHARS}>
      <summary>Thinking</summary>
      <p className="reasoning" data-testid="thinking">
        {event.text}
      </p>
    </details>
  );
}

function Output({ outcome }: { outcome: ToolOutcome }) {
  if (outcome.kind === "file-written")
    return (
      <p className="result ok">
        wrote {outcome.bytes} bytes · {seconds(outcome.durationMs)}
      </p>
    );
  if (outcome.kind === "rejected") return <p className="result fail">{outcome.message}</p>;
  if (outcome.kind === "refused")
    return (
      <p className="result refused" data-testid="refused">
        <strong>refused by the policy</strong>
        {outcome.unjudged && " (it cannot judge this)"}: <code>{outcome.part}</code> —{" "}
        {outcome.reason}; nothing ran
      </p>
    );
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
          {event.shippedBytes !== undefined
            ? `Task restored from the state the site ships (${(event.shippedBytes / 1e6).toFixed(1)} MB downloaded) in ${seconds(event.durationMs)}`
            : event.fromSavedState
              ? `Task restored from its saved state in ${seconds(event.durationMs)}`
              : `Task set up in ${seconds(event.durationMs)}`}
          ; the agent starts.{event.note ? ` (${event.note})` : ""}
        </p>
      );
    case "reasoning":
      if (event.kind) return <Thinking event={event} />;
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
    case "approval":
      return (
        <p className={`approval ${event.decision}`} data-testid="approval">
          ✋ {describeApproval(event)}
          {event.waitedMs > 0 && <span className="muted"> · after {seconds(event.waitedMs)}</span>}
        </p>
      );
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
      if (event.limit === "output")
        return (
          <p className="warning" data-testid="output-cut">
            ✂ {event.message}
          </p>
        );
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

/** Each step's tokens (and reasoning tokens), from the run's running totals. */
function stepTokens(events: RunEvent[]): Map<number, string> {
  const out = new Map<number, string>();
  let total = 0;
  let reasoning = 0;
  for (const event of events) {
    if (event.type !== "usage") continue;
    const thought =
      event.reasoningTokens === undefined ? undefined : event.reasoningTokens - reasoning;
    out.set(event.step, `${tokensWithReasoning(event.totalTokens - total, thought)} tokens`);
    total = event.totalTokens;
    reasoning = event.reasoningTokens ?? reasoning;
  }
  return out;
}

export function RunTimeline({
  events,
  liveText,
  liveThinking = "",
}: {
  events: RunEvent[];
  liveText: string;
  /** The model's reasoning as it streams in, shown apart from its text. */
  liveThinking?: string;
}) {
  let lastStep = 0;
  const tokens = stepTokens(events);
  const items: ReactNode[] = [];
  events.forEach((event, i) => {
    if (event.type === "usage" || event.type === "started") return;
    const step = "step" in event ? event.step : undefined;
    if (step !== undefined && step !== lastStep) {
      lastStep = step;
      items.push(
        <h3 key={`step-${step}`} id={`step-${step}`} className="step-heading">
          Step {step} <span className="muted">{seconds(event.atMs)}</span>
          {tokens.has(step) && (
            <span className="muted" data-testid="step-tokens">
              {" "}
              · {tokens.get(step)}
            </span>
          )}
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
      {liveThinking && (
        <li>
          <p className="reasoning thinking live" data-testid="live-thinking">
            {liveThinking}
          </p>
        </li>
      )}
      {liveText && (
        <li>
          <p className="reasoning live">{liveText}</p>
        </li>
      )}
    </ol>
  );
}
