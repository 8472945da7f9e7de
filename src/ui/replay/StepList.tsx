// The replay's timeline beside the terminal: every step with its commands, exit codes, times and warnings; the current one highlighted; a click jumps there.
import { memo, useEffect, useRef } from "react";
import type { FailureLabelKind } from "../../domain/failure";
import type { RunEvent } from "../../domain/run";
import { verdictOf } from "../../domain/task";
import type { StepMark } from "../../state/explain-store";
import { seconds, STOP_REASONS } from "../run/describe";
import { StepLabelMarks } from "./FailureLabels";
import { commandsOf, type Frame, type Replay, type Segment } from "./playback";

const VERDICT_LABELS = { pass: "PASS", fail: "FAIL", tampered: "TAMPERED" } as const;

export function segmentLabel(segment: Segment): string {
  if (segment.kind === "start") return "Start";
  if (segment.kind === "end") return "End";
  return `Step ${segment.step}`;
}

/** One line for the events of a segment shown so far that are not commands. */
function Note({ event }: { event: RunEvent }) {
  switch (event.type) {
    case "setup":
      return (
        <li className="muted">
          {event.fromSavedState ? "Task restored from its saved state" : "Task set up"} in{" "}
          {seconds(event.durationMs)}
        </li>
      );
    case "warning":
      return (
        <li className="warning" data-testid="replay-warning">
          ⚠ <strong>{event.label}</strong>: {event.message}
        </li>
      );
    case "retry":
      return (
        <li className="muted">
          ↻ Retry {event.attempt} after {seconds(event.waitMs)}: {event.message}
        </li>
      );
    case "limit":
      return (
        <li className="warning">
          {event.limit === "output" ? "✂" : "⏹"} {event.message}
        </li>
      );
    case "error":
      return <li className="error">{event.message}</li>;
    case "finished":
      return (
        <li className="finished">
          {STOP_REASONS[event.reason] ?? event.reason}
          {event.summary ? `: ${event.summary}` : "."}
        </li>
      );
    case "graded": {
      const verdict = verdictOf(event.grade);
      return <li className={`verdict-label ${verdict}`}>Graded: {VERDICT_LABELS[verdict]}</li>;
    }
    default:
      return null;
  }
}

/** NOTE: memoised, and given the cursor clipped to its own frames: only the current step redraws as it plays. */
const StepItem = memo(function StepItem({
  replay,
  segment,
  at,
  current,
  onJump,
  index,
  marks,
  onFork,
  labels,
}: {
  replay: Replay;
  segment: Segment;
  at: number;
  current: boolean;
  onJump: (segment: number) => void;
  index: number;
  marks: StepMark[] | undefined;
  onFork: ((step: number) => void) | undefined;
  /** The failure labels that point at this step. */
  labels: FailureLabelKind[] | undefined;
}) {
  const item = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (current) item.current?.scrollIntoView?.({ block: "nearest" });
  }, [current]);
  const first = replay.frames[segment.from] as Frame | undefined;
  const shownFrames = replay.frames.slice(segment.from, Math.min(segment.to, at));
  const state = current ? "current" : segment.from >= at ? "future" : "past";
  return (
    <li
      ref={item}
      className={`replay-step ${state}`}
      aria-current={current ? "step" : undefined}
      data-step={segment.step}
    >
      <button
        type="button"
        className="replay-step-jump"
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => onJump(index)}
      >
        <strong>{segmentLabel(segment)}</strong>{" "}
        <span className="muted">{first ? seconds(first.atMs) : ""}</span>
        <StepLabelMarks labels={labels} />
      </button>
      {marks?.map((mark) => (
        <span
          key={mark.kind}
          className={`replay-step-mark ${mark.kind}`}
          data-testid={`replay-mark-${mark.kind}`}
          title={mark.text}
        >
          {mark.kind === "damage" ? "✗ went wrong here" : "★ closest"}
        </span>
      ))}
      {onFork && segment.kind === "step" && (
        <button
          type="button"
          className="replay-step-fork"
          data-testid="step-fork"
          aria-label={`Fork from step ${segment.step}`}
          title={`Fork from step ${segment.step}: Linux put right after it in the Lab`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onFork(segment.step)}
        >
          Fork from here
        </button>
      )}
      <ul className="replay-step-body">
        {commandsOf(replay, segment, at).map((command) => (
          <li key={command.frame} className="replay-command">
            <code>$ {command.text}</code>{" "}
            {command.approval && (
              <span
                className={`approval ${command.approval.decision}`}
                data-testid="replay-approval"
              >
                ✋ {command.approval.text}
              </span>
            )}{" "}
            {command.outcome?.kind === "command" && (
              <span
                className={`exit ${command.outcome.exitCode === 0 ? "ok" : "fail"}`}
                data-testid="replay-exit-code"
              >
                exit {command.outcome.exitCode}
                {command.outcome.timedOut ? " · timed out" : ""} ·{" "}
                {seconds(command.outcome.durationMs)}
              </span>
            )}
            {command.outcome?.kind === "refused" && (
              <span className="refused" data-testid="replay-refused">
                refused by the policy: {command.outcome.text}; nothing ran
              </span>
            )}
            {command.outcome?.kind === "other" && (
              <span className="muted">
                {command.outcome.text}
                {command.outcome.durationMs !== undefined &&
                  ` · ${seconds(command.outcome.durationMs)}`}
              </span>
            )}
          </li>
        ))}
        {shownFrames.map(({ event }, i) => (
          <Note key={i} event={event} />
        ))}
      </ul>
    </li>
  );
});

export function StepList({
  replay,
  at,
  current,
  onJump,
  marks,
  onFork,
  labels,
}: {
  replay: Replay;
  at: number;
  /** Index of the current segment. */
  current: number;
  onJump: (segment: number) => void;
  /** Marks on steps by step number (where a failed run went wrong). */
  marks?: Record<number, StepMark[]>;
  /** "Fork from here" on each step (absent: no fork). */
  onFork?: (step: number) => void;
  /** The failure labels that point at each step, by step. */
  labels?: ReadonlyMap<number, FailureLabelKind[]>;
}) {
  return (
    <ol className="replay-steps" data-testid="replay-steps" aria-label="Steps">
      {replay.segments.map((segment, index) => (
        <StepItem
          key={index}
          replay={replay}
          segment={segment}
          at={Math.min(Math.max(at, segment.from), segment.to)}
          current={index === current}
          onJump={onJump}
          index={index}
          marks={segment.kind === "step" ? marks?.[segment.step] : undefined}
          onFork={onFork}
          labels={segment.kind === "step" ? labels?.get(segment.step) : undefined}
        />
      ))}
    </ol>
  );
}
