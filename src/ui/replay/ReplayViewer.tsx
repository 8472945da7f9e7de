// The replay viewer: a run's terminal replayed with its timing, controls and keys, the steps beside it (with their failure marks), reasoning, tokens and cost, warnings, why it failed, the cloud's state and the verdict.
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import type { RunRecord } from "../../domain/run";
import type { CheckLine, TaskBundle } from "../../domain/task";
import type { StepMark } from "../../state/explain-store";
import { labelsByStep, runLabels } from "../../state/run-labels";
import { ErrorBoundary } from "../ErrorBoundary";
import {
  describeReasoning,
  dollars,
  seconds,
  STOP_REASONS,
  tokensWithReasoning,
} from "../run/describe";
import { Verdict } from "../run/Verdict";
import { CloudStateView } from "./CloudStateView";
import { FailureLabels } from "./FailureLabels";
import { keyAction, type KeyAction } from "./keys";
import {
  buildReplay,
  follow,
  GAP_CAP_MS,
  initialCursor,
  jumpToStep,
  routeStep,
  seekFrame,
  segmentAt,
  setSpeed,
  SPEEDS,
  stepBack,
  stepForward,
  tick,
  togglePlay,
  viewAt,
  type Cursor,
  type Replay,
  type Speed,
} from "./playback";
import { ReplayTerminal } from "./ReplayTerminal";
import { segmentLabel, StepList } from "./StepList";
import "./replay.css";

/** How often a playing replay moves its clock. */
const TICK_MS = 50;
const SPEED_LABELS: Record<Speed, string> = { "1x": "1×", "4x": "4×", instant: "Instant" };

export interface ReplayViewerProps {
  record: RunRecord;
  task?: TaskBundle;
  /** The step to show (from the address); the end of the run when undefined. */
  step?: number;
  /** Called when the step shown changes by playing, a key or a control (not when `step` changed it). */
  onStep?(step: number): void;
  /** Follows a run under way: new events show as they come, unless the person moved back. */
  live?: boolean;
  /** Extra buttons for the toolbar (Share, Verify). */
  actions?: ReactNode;
  /** "Fork from here" on the toolbar and each step: Linux put right after that step (absent: no fork). */
  onFork?(step: number): void;
  /** Marks on the step list by step number (where a failed run went wrong). */
  stepMarks?: Record<number, StepMark[]>;
  /** The grader's checks on the readied task (from an explanation): without them, no environment-broken label. */
  readyChecks?: CheckLine[];
}

/** The cursor, its moves, playing on a timer, live following, and the step reported to the page. */
function useReplayCursor(replay: Replay, props: ReplayViewerProps) {
  const { step, onStep, live = false } = props;
  const [cursor, setCursor] = useState<Cursor>(() => initialCursor(replay, step));
  /** The replay and cursor of the last render, for moves made from timers, keys and effects. */
  const latest = useRef({ replay, cursor });
  useLayoutEffect(() => {
    latest.current = { replay, cursor };
  });
  /** The step last reported or asked for, so the page's answer to onStep is not taken as a jump. */
  const reported = useRef(routeStep(replay, cursor.at));
  /** The number of frames the cursor's replay had, to tell a cursor at the end (following) from one moved back. */
  const length = useRef(replay.frames.length);

  const move = useCallback((next: (r: Replay, c: Cursor) => Cursor) => {
    setCursor((c) => next(latest.current.replay, c));
  }, []);

  // The page's address named another step (Back, a link): show it.
  useEffect(() => {
    if (step === undefined || step === reported.current) return;
    reported.current = step;
    move((r, c) => jumpToStep(r, c, step));
  }, [step, move]);

  // Live: new events show at once when the cursor was at the end.
  useEffect(() => {
    const previous = length.current;
    length.current = replay.frames.length;
    if (live && previous !== replay.frames.length) move((r, c) => follow(r, c, previous));
  }, [replay, live, move]);

  // Playing: the replay clock moves with real time, at the cursor's speed.
  useEffect(() => {
    if (!cursor.playing) return;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const elapsed = now - last;
      last = now;
      move((r, c) => tick(r, c, elapsed));
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [cursor.playing, move]);

  const shownStep = routeStep(replay, cursor.at);
  useEffect(() => {
    if (shownStep === reported.current) return;
    reported.current = shownStep;
    onStep?.(shownStep);
  }, [shownStep, onStep]);

  return { cursor, move };
}

const KEY_MOVES: Record<KeyAction, (r: Replay, c: Cursor) => Cursor> = {
  toggle: togglePlay,
  back: stepBack,
  forward: stepForward,
  start: (r, c) => seekFrame(r, { ...c, playing: false }, 0),
  end: (r, c) => seekFrame(r, { ...c, playing: false }, r.frames.length),
};

/** Space, arrows, Home and End anywhere on the page, except while typing or on a focused control. */
function useReplayKeys(move: (next: (r: Replay, c: Cursor) => Cursor) => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = keyAction(event);
      if (!action) return;
      event.preventDefault();
      move(KEY_MOVES[action]);
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [move]);
}

/** A toolbar button that does not take the focus when clicked, so space goes on playing and pausing. */
function ToolButton(props: {
  label: string;
  title: string;
  onClick: () => void;
  pressed?: boolean;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <button
      type="button"
      title={props.title}
      aria-label={props.title}
      aria-pressed={props.pressed}
      disabled={props.disabled}
      data-testid={props.testId}
      onMouseDown={(e) => e.preventDefault()}
      onClick={props.onClick}
    >
      {props.label}
    </button>
  );
}

function Toolbar({
  replay,
  cursor,
  move,
  live,
  actions,
  onFork,
}: {
  replay: Replay;
  cursor: Cursor;
  move: (next: (r: Replay, c: Cursor) => Cursor) => void;
  live: boolean;
  actions: ReactNode;
  onFork: ((step: number) => void) | undefined;
}) {
  const index = segmentAt(replay, cursor.at);
  const segment = replay.segments[index];
  const atEnd = cursor.at >= replay.frames.length;
  const lastStep = replay.segments.filter((s) => s.kind === "step").at(-1)?.step ?? 0;
  return (
    <div className="replay-toolbar" role="toolbar" aria-label="Replay">
      <ToolButton label="|◀" title="To the start (Home)" onClick={() => move(KEY_MOVES.start)} />
      <ToolButton label="◀ Step" title="Step back (←)" onClick={() => move(stepBack)} />
      <ToolButton
        label={cursor.playing ? "Pause" : "▶ Play"}
        title={cursor.playing ? "Pause (space)" : "Play (space)"}
        testId="replay-play"
        disabled={replay.frames.length === 0}
        onClick={() => move(togglePlay)}
      />
      <ToolButton label="Step ▶" title="Step forward (→)" onClick={() => move(stepForward)} />
      <ToolButton label="▶|" title="To the end (End)" onClick={() => move(KEY_MOVES.end)} />
      <span className="replay-speeds" role="group" aria-label="Speed">
        {SPEEDS.map((speed) => (
          <ToolButton
            key={speed}
            label={SPEED_LABELS[speed]}
            title={`Speed ${SPEED_LABELS[speed]}`}
            pressed={cursor.speed === speed}
            onClick={() => move((r, c) => setSpeed(r, c, speed))}
          />
        ))}
      </span>
      <input
        type="range"
        className="replay-slider"
        aria-label="Step"
        aria-valuetext={segment ? segmentLabel(segment) : "Start"}
        min={0}
        max={Math.max(0, replay.segments.length - 1)}
        value={index}
        onChange={(e) => {
          const target = replay.segments[Number(e.target.value)];
          if (target) move((r, c) => seekFrame(r, { ...c, playing: false }, target.to));
        }}
      />
      <span className="replay-position" data-testid="replay-step" data-step={segment?.step}>
        {segment ? segmentLabel(segment) : "Start"}
        {segment?.kind === "step" && ` of ${lastStep}`}
        {atEnd && segment?.kind !== "end" && " (end)"}
      </span>
      {live && (
        <span className="replay-live" data-testid="replay-live">
          {atEnd ? "● live" : "live: press End to follow"}
        </span>
      )}
      {onFork && (
        <ToolButton
          label="Fork from here"
          title={`Fork from ${segment?.kind === "step" ? `step ${segment.step}` : "here"}: Linux put right after it in the Lab`}
          testId="fork-here"
          onClick={() => onFork(forkStepOf(segment, lastStep))}
        />
      )}
      {actions && <span className="replay-actions">{actions}</span>}
    </div>
  );
}

/** The step a fork from `segment` stands after: its own, 0 at the start, the last one at the end. */
function forkStepOf(segment: Replay["segments"][number] | undefined, lastStep: number): number {
  if (segment?.kind === "step") return segment.step;
  return segment?.kind === "end" ? lastStep : 0;
}

function Figures({ replay, cursor }: { replay: Replay; cursor: Cursor }) {
  const view = viewAt(replay, cursor.at);
  return (
    <dl className="run-figures replay-figures" data-testid="replay-figures">
      <div>
        <dt>time</dt>
        <dd>{seconds(view.runMs)}</dd>
      </div>
      <div>
        <dt>tokens</dt>
        <dd data-testid="replay-tokens">
          {tokensWithReasoning(view.totalTokens, view.reasoningTokens)}
        </dd>
      </div>
      <div>
        <dt>cost</dt>
        <dd>{dollars(view.costUsd)}</dd>
      </div>
      <div>
        <dt>warnings</dt>
        <dd>{view.warnings.length}</dd>
      </div>
    </dl>
  );
}

export function ReplayViewer(props: ReplayViewerProps) {
  const { record, task, live = false, actions, onFork } = props;
  const replay = useMemo(() => buildReplay(record.events), [record.events]);
  const { cursor, move } = useReplayCursor(replay, props);
  useReplayKeys(move);
  const view = viewAt(replay, cursor.at);
  const current = segmentAt(replay, cursor.at);
  const jump = useCallback(
    (segment: number) =>
      move((r, c) => seekFrame(r, { ...c, playing: false }, r.segments[segment]?.to ?? c.at)),
    [move],
  );
  const { readyChecks } = props;
  const labels = useMemo(() => runLabels(record, task, readyChecks), [record, task, readyChecks]);
  const labelMarks = useMemo(() => labelsByStep(labels), [labels]);
  const jumpToLabelStep = useCallback(
    (step: number) => move((r, c) => jumpToStep(r, c, step)),
    [move],
  );
  return (
    <section className="replay" data-testid="replay" aria-label="Replay">
      <header className="replay-head">
        <p>
          <strong>{record.task.title}</strong>{" "}
          <span className="muted">
            by {record.agent.provider}/{record.agent.model}
            {record.agent.reasoning && ` (${describeReasoning(record.agent)})`},{" "}
            {new Date(record.createdAt).toLocaleString()}
          </span>
        </p>
        {task && (
          <details className="replay-ticket">
            <summary>The ticket</summary>
            <pre>{task.instruction}</pre>
          </details>
        )}
      </header>
      <Toolbar
        replay={replay}
        cursor={cursor}
        move={move}
        live={live}
        actions={actions}
        onFork={onFork}
      />
      <p className="muted replay-timing">
        Replayed with the run&apos;s own timing
        {replay.gapsCapped
          ? `; gaps over ${GAP_CAP_MS / 1000} s shortened to ${GAP_CAP_MS / 1000} s`
          : ""}
        . Keys: space plays and pauses, ← → step, Home and End.
      </p>
      <div className="replay-body">
        <div className="replay-main">
          <ErrorBoundary part="The replay's terminal" resetKey={replay}>
            <ReplayTerminal key={record.id} replay={replay} at={cursor.at} />
          </ErrorBoundary>
          <Figures replay={replay} cursor={cursor} />
          <section className="replay-reasoning" aria-label="The model's reasoning">
            <h3>The model&apos;s reasoning ({segmentLabel(view.segment).toLowerCase()})</h3>
            {view.thinking.map((part, i) =>
              part.redacted ? (
                <p key={`t${i}`} className="thinking muted" data-testid="replay-thinking">
                  Thinking: redacted (the provider sent it encrypted)
                </p>
              ) : (
                <details key={`t${i}`} className="thinking" open>
                  <summary>Thinking</summary>
                  <p className="reasoning" data-testid="replay-thinking">
                    {part.text}
                  </p>
                </details>
              ),
            )}
            {view.reasoning.length > 0
              ? view.reasoning.map((text, i) => (
                  <p key={i} className="reasoning" data-testid="replay-reasoning">
                    {text}
                  </p>
                ))
              : view.thinking.length === 0 && <p className="muted">None at this point.</p>}
          </section>
        </div>
        <ErrorBoundary part="The replay's steps" resetKey={replay}>
          <StepList
            replay={replay}
            at={cursor.at}
            current={current}
            onJump={jump}
            {...(onFork && { onFork })}
            {...(props.stepMarks && { marks: props.stepMarks })}
            labels={labelMarks}
          />
        </ErrorBoundary>
      </div>
      {view.finished && (
        <p className="finished" data-testid="replay-finished">
          {STOP_REASONS[view.finished.reason] ?? view.finished.reason}
          {view.finished.summary ? `: ${view.finished.summary}` : "."}
        </p>
      )}
      {view.grade && (
        <ErrorBoundary part="The verdict" resetKey={view.grade}>
          <Verdict grade={view.grade} />
        </ErrorBoundary>
      )}
      <ErrorBoundary part="Why it failed" resetKey={labels}>
        <FailureLabels
          labels={labels}
          passed={record.outcome.verdict === "pass"}
          onJump={jumpToLabelStep}
        />
      </ErrorBoundary>
      {view.cloudState !== undefined && (
        <ErrorBoundary part="The cloud's state" resetKey={view.cloudState}>
          <CloudStateView state={view.cloudState} />
        </ErrorBoundary>
      )}
    </section>
  );
}
