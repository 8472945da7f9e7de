// The replay's playback model: a run's events as frames on a replay clock, grouped into steps, a cursor that plays, steps and seeks, and what is shown at it.
import { describeApproval, type ApprovalDecision } from "../../domain/approval";
import type { CommandOutcome, RunEvent } from "../../domain/run";
import type { Grade } from "../../domain/task";
import { render } from "../run/terminal-text";

/**
 * Idle gaps between two events longer than this play as this long (at 1×; a quarter of it at 4×):
 * a model thinking 40 s replays in 3 s. Everything shorter plays with the time it took.
 */
export const GAP_CAP_MS = 3_000;

/** Replay speeds: the run's own time, four times faster, or at once to the end. */
export const SPEEDS = ["1x", "4x", "instant"] as const;
export type Speed = (typeof SPEEDS)[number];
const SPEED_FACTOR: Record<Exclude<Speed, "instant">, number> = { "1x": 1, "4x": 4 };

/** One event on the replay clock. */
export interface Frame {
  event: RunEvent;
  /** When it happened in the run (ms since the run started), as recorded. */
  atMs: number;
  /** When it shows on the replay clock (ms): the recorded time with idle gaps capped at GAP_CAP_MS. */
  playMs: number;
  /** Index of its segment in Replay.segments. */
  segment: number;
}

/**
 * A stretch of the run the cursor steps through: what came before the model's first turn ("start":
 * the run started, the task set up), one model turn ("step": its usage, reasoning, tool calls and
 * results, the warnings after them), or what came after the last turn ("end": finished, the grade,
 * the cloud's state).
 */
export interface Segment {
  kind: "start" | "step" | "end";
  /** The step number: 0 for the start, the model's turn, and one past the last turn for the end. */
  step: number;
  /** Its frames are Replay.frames[from, to). */
  from: number;
  to: number;
}

export interface Replay {
  frames: Frame[];
  /** Start first (possibly empty), then the steps in order, then the end when the run has one. */
  segments: Segment[];
  /** The replay clock's length (ms). */
  durationMs: number;
  /** True when some gap was shortened to GAP_CAP_MS (the viewer says so). */
  gapsCapped: boolean;
}

const stepOf = (event: RunEvent): number | undefined =>
  "step" in event && typeof event.step === "number" ? event.step : undefined;

/** The segment each event goes to: its step's; a retry to the turn it retried; others to the turn before. */
function segmentKeys(events: readonly RunEvent[]): ("start" | "end" | number)[] {
  const keys: ("start" | "end" | number)[] = new Array(events.length);
  let lastStepped = -1;
  events.forEach((e, i) => {
    if (stepOf(e) !== undefined) lastStepped = i;
  });
  let current: "start" | number = "start";
  let pending: number[] = [];
  events.forEach((event, i) => {
    const step = stepOf(event);
    if (step === undefined) {
      // NOTE: the run's start and set-up open it, also in a run the model never took a turn in.
      if (current === "start" && (event.type === "started" || event.type === "setup"))
        keys[i] = "start";
      else if (i > lastStepped) keys[i] = "end";
      else if (event.type === "retry") pending.push(i);
      else keys[i] = current;
      return;
    }
    current = step;
    for (const p of pending) keys[p] = step;
    pending = [];
    keys[i] = step;
  });
  return keys;
}

/** Builds the frames and segments of a run's events, in the order they were recorded. */
export function buildReplay(events: readonly RunEvent[]): Replay {
  const keys = segmentKeys(events);
  const segments: Segment[] = [{ kind: "start", step: 0, from: 0, to: 0 }];
  const frames: Frame[] = [];
  let playMs = 0;
  let previousAt = events[0]?.atMs ?? 0;
  let gapsCapped = false;
  let lastStep = 0;
  events.forEach((event, i) => {
    const key = keys[i] ?? "end";
    let open = segments[segments.length - 1] as Segment;
    const same =
      key === "start"
        ? open.kind === "start"
        : key === "end"
          ? open.kind === "end"
          : open.kind === "step" && open.step === key;
    if (!same) {
      const kind = key === "start" ? "start" : key === "end" ? "end" : "step";
      const step = typeof key === "number" ? key : lastStep + 1;
      open = { kind, step, from: frames.length, to: frames.length };
      segments.push(open);
    }
    if (typeof key === "number") lastStep = Math.max(lastStep, key);
    // NOTE: a clock that went backwards (an odd record) adds no time rather than a negative one.
    const gap = Math.max(0, event.atMs - previousAt);
    if (gap > GAP_CAP_MS) gapsCapped = true;
    playMs += Math.min(gap, GAP_CAP_MS);
    previousAt = Math.max(previousAt, event.atMs);
    frames.push({ event, atMs: event.atMs, playMs, segment: segments.length - 1 });
    open.to = frames.length;
  });
  return { frames, segments, durationMs: playMs, gapsCapped };
}

/** Where the replay is: the first `at` frames are shown; `clockMs` is the replay clock. */
export interface Cursor {
  at: number;
  clockMs: number;
  playing: boolean;
  speed: Speed;
}

export function initialCursor(replay: Replay, step?: number): Cursor {
  const at = step === undefined ? replay.frames.length : frameOfStep(replay, step);
  return seekFrame(replay, { at: 0, clockMs: 0, playing: false, speed: "1x" }, at);
}

/** Shows the first `at` frames (clamped), the clock at the last one's time; stops playing at the end. */
export function seekFrame(replay: Replay, cursor: Cursor, at: number): Cursor {
  const clamped = Math.max(0, Math.min(replay.frames.length, Math.floor(at)));
  const clockMs = clamped === 0 ? 0 : (replay.frames[clamped - 1] as Frame).playMs;
  const playing = cursor.playing && clamped < replay.frames.length;
  return { ...cursor, at: clamped, clockMs, playing };
}

/** Moves the replay clock to `clockMs`: every frame due by then is shown. */
export function seekTime(replay: Replay, cursor: Cursor, clockMs: number): Cursor {
  const clock = Math.max(0, Math.min(replay.durationMs, clockMs));
  let at = cursor.at;
  while (at < replay.frames.length && (replay.frames[at] as Frame).playMs <= clock) at++;
  while (at > 0 && (replay.frames[at - 1] as Frame).playMs > clock) at--;
  const playing = cursor.playing && at < replay.frames.length;
  return { ...cursor, at, clockMs: clock, playing };
}

/**
 * A live run's cursor once its replay has grown from `previousFrames` frames: at the end it follows to
 * the new end; moved back by the person, it stays where it is.
 */
export function follow(replay: Replay, cursor: Cursor, previousFrames: number): Cursor {
  return cursor.at >= previousFrames ? seekFrame(replay, cursor, replay.frames.length) : cursor;
}

/** Advances a playing cursor by `elapsedMs` of real time at its speed. */
export function tick(replay: Replay, cursor: Cursor, elapsedMs: number): Cursor {
  if (!cursor.playing) return cursor;
  if (cursor.speed === "instant") return seekFrame(replay, cursor, replay.frames.length);
  return seekTime(replay, cursor, cursor.clockMs + elapsedMs * SPEED_FACTOR[cursor.speed]);
}

/** Plays (from the start again when at the end; at once to the end at "instant"), or pauses. */
export function togglePlay(replay: Replay, cursor: Cursor): Cursor {
  if (cursor.playing) return { ...cursor, playing: false };
  const from = cursor.at >= replay.frames.length ? seekFrame(replay, cursor, 0) : cursor;
  return tick(replay, { ...from, playing: replay.frames.length > 0 }, 0);
}

export function setSpeed(replay: Replay, cursor: Cursor, speed: Speed): Cursor {
  return tick(replay, { ...cursor, speed }, 0);
}

/** The segment the cursor is in: the one of the last frame shown (the start before any). */
export function segmentAt(replay: Replay, at: number): number {
  return at === 0 ? 0 : (replay.frames[at - 1] as Frame).segment;
}

/**
 * The cursor after a step's last frame: step 0 is the start; a step past the last turn is the end.
 * A step the run lacks (an odd record) shows the nearest earlier one.
 */
export function frameOfStep(replay: Replay, step: number): number {
  const turns = replay.segments.filter((s) => s.kind !== "end");
  const lastTurn = Math.max(...turns.map((s) => s.step));
  if (step > lastTurn) return replay.frames.length;
  const exact = turns.find((s) => s.step === step);
  if (exact) return exact.to;
  let best = turns[0] as Segment;
  for (const segment of turns) if (segment.step < step && segment.step > best.step) best = segment;
  return best.to;
}

/** The whole next segment shown (the current one's rest when it is partly shown). */
export function stepForward(replay: Replay, cursor: Cursor): Cursor {
  const current = replay.segments[segmentAt(replay, cursor.at)] as Segment;
  const target =
    cursor.at < current.to ? current : replay.segments[segmentAt(replay, cursor.at) + 1];
  return seekFrame(replay, { ...cursor, playing: false }, target ? target.to : cursor.at);
}

/** The whole previous segment shown (the current one hidden). */
export function stepBack(replay: Replay, cursor: Cursor): Cursor {
  const index = segmentAt(replay, cursor.at);
  const previous = replay.segments[index - 1];
  return seekFrame(replay, { ...cursor, playing: false }, previous ? previous.to : 0);
}

export function jumpToStep(replay: Replay, cursor: Cursor, step: number): Cursor {
  return seekFrame(replay, { ...cursor, playing: false }, frameOfStep(replay, step));
}

/**
 * The step the address names for a cursor: its segment's step (0 the start, one past the last turn
 * the end), so that frameOfStep(routeStep(at)) shows that segment whole.
 */
export function routeStep(replay: Replay, at: number): number {
  return (replay.segments[segmentAt(replay, at)] as Segment).step;
}

/** The terminal's text after the first `at` frames. */
export function terminalTextAt(replay: Replay, at: number): string {
  let text = "";
  for (const frame of replay.frames.slice(0, at)) text += render(frame.event);
  return text;
}

/**
 * The text of frames [from, to), or only its last frames once they hold `maxLines` lines (`complete`
 * says whether it reached `from`). NOTE: cut at an event's start only, where no colour is left open.
 */
function tailText(replay: Replay, from: number, to: number, maxLines: number) {
  const parts: string[] = [];
  let lines = 0;
  for (let i = to - 1; i >= from; i--) {
    if (lines >= maxLines) return { text: parts.reverse().join(""), complete: false };
    const text = render((replay.frames[i] as Frame).event);
    parts.push(text);
    lines += text.split("\n").length - 1;
  }
  return { text: parts.reverse().join(""), complete: true };
}

/**
 * What to write to a terminal that shows `from` frames so it shows `to`: the new frames' text going
 * forward; going back, a reset and the text up to `to` again. With `maxLines` (the lines a terminal
 * keeps), no more is written than it keeps: a jump over more lines resets it and writes the last
 * events that fill them, so going back or far forward in a long run stays fast.
 */
export function terminalDelta(
  replay: Replay,
  from: number,
  to: number,
  maxLines = Number.POSITIVE_INFINITY,
): { reset: boolean; text: string } {
  if (to >= from) {
    const { text, complete } = tailText(replay, from, to, maxLines);
    return { reset: !complete, text };
  }
  return { reset: true, text: tailText(replay, 0, to, maxLines).text };
}

/** A command of a step as the timeline shows it. */
export interface StepCommand {
  frame: number;
  text: string;
  /** Its outcome once shown (undefined while it runs at the cursor, or when it never ended). */
  outcome?:
    | CommandOutcome
    | { kind: "other"; text: string; durationMs?: number }
    /** Refused by the run's command policy: what and why (nothing ran). */
    | { kind: "refused"; text: string };
  /** Who decided the call under approval mode, once shown ("edited: a → b"); absent without one. */
  approval?: { decision: ApprovalDecision; text: string };
}

/** What the viewer shows at a cursor, derived from the frames shown. */
export interface ReplayView {
  segment: Segment;
  /** The last usage so far: tokens and cost. */
  totalTokens: number;
  costUsd: number | null;
  /** The run's own time at the cursor (ms since it started, as recorded). */
  runMs: number;
  warnings: Extract<RunEvent, { type: "warning" }>[];
  /** The current step's visible text so far (the model's words beside its calls). */
  reasoning: string[];
  /** The current step's thinking so far, apart from its text (empty text when redacted). */
  thinking: { text: string; redacted: boolean }[];
  /** Of the tokens so far, those spent reasoning, where the provider counted them. */
  reasoningTokens: number | undefined;
  grade: Grade | undefined;
  /** The cloud's state after the run (cloud tasks), once shown. */
  cloudState: unknown;
  finished: Extract<RunEvent, { type: "finished" }> | undefined;
}

export function viewAt(replay: Replay, at: number): ReplayView {
  const index = segmentAt(replay, at);
  const view: ReplayView = {
    segment: replay.segments[index] as Segment,
    totalTokens: 0,
    costUsd: null,
    runMs: 0,
    warnings: [],
    reasoning: [],
    thinking: [],
    reasoningTokens: undefined,
    grade: undefined,
    cloudState: undefined,
    finished: undefined,
  };
  replay.frames.slice(0, at).forEach(({ event, segment }) => {
    view.runMs = Math.max(view.runMs, event.atMs);
    if (event.type === "usage") {
      view.totalTokens = event.totalTokens;
      view.costUsd = event.costUsd;
      view.reasoningTokens = event.reasoningTokens ?? view.reasoningTokens;
    } else if (event.type === "warning") view.warnings.push(event);
    else if (event.type === "reasoning" && segment === index) {
      if (event.kind)
        view.thinking.push({ text: event.text, redacted: event.kind === "redacted-thinking" });
      else view.reasoning.push(event.text);
    } else if (event.type === "graded") view.grade = event.grade;
    else if (event.type === "cloud-state") view.cloudState = event.state;
    else if (event.type === "finished") view.finished = event;
  });
  return view;
}

/** The tool calls of a segment and, for those shown by `at`, their outcome. */
export function commandsOf(replay: Replay, segment: Segment, at: number): StepCommand[] {
  const commands: StepCommand[] = [];
  const byCall = new Map<string, StepCommand>();
  for (let i = segment.from; i < segment.to; i++) {
    const { event } = replay.frames[i] as Frame;
    if (event.type === "tool-call" && event.input.tool !== "finish") {
      const { input } = event;
      const text =
        input.tool === "run_command"
          ? input.command
          : input.tool === "write_file"
            ? `write ${input.path}`
            : `malformed call to ${input.name}`;
      const command: StepCommand = { frame: i, text };
      commands.push(command);
      byCall.set(event.callId, command);
    } else if (event.type === "approval" && i < at) {
      const command = byCall.get(event.callId);
      if (command) command.approval = { decision: event.decision, text: describeApproval(event) };
    } else if (event.type === "tool-result" && i < at) {
      const command = byCall.get(event.callId);
      if (!command) continue;
      const { outcome } = event;
      command.outcome =
        outcome.kind === "command"
          ? outcome
          : outcome.kind === "file-written"
            ? {
                kind: "other",
                text: `wrote ${outcome.bytes} bytes`,
                durationMs: outcome.durationMs,
              }
            : outcome.kind === "failed"
              ? { kind: "other", text: outcome.message, durationMs: outcome.durationMs }
              : outcome.kind === "rejected"
                ? { kind: "other", text: outcome.message }
                : outcome.kind === "refused"
                  ? { kind: "refused", text: `${outcome.part} — ${outcome.reason}` }
                  : { kind: "other", text: "finished" };
    }
  }
  return commands;
}
