// Unit tests of the playback model: steps, cursor moves, speeds, capped gaps, seeking, what shows at the cursor, odd records.
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../domain/run";
import { renderAll } from "../run/terminal-text";
import {
  buildReplay,
  commandsOf,
  follow,
  GAP_CAP_MS,
  initialCursor,
  jumpToStep,
  routeStep,
  seekFrame,
  seekTime,
  setSpeed,
  stepBack,
  stepForward,
  terminalDelta,
  terminalTextAt,
  tick,
  togglePlay,
  viewAt,
  type Cursor,
  type Replay,
} from "./playback";

const limits = { maxSteps: 5, maxSeconds: 60, maxTokens: 0, maxCostUsd: 0, commandSeconds: 10 };

function usage(atMs: number, step: number, totalTokens: number): RunEvent {
  const costUsd = totalTokens / 10_000;
  return {
    type: "usage",
    atMs,
    step,
    inputTokens: totalTokens,
    outputTokens: 0,
    totalTokens,
    costUsd,
  };
}
function command(atMs: number, step: number, callId: string, text: string): RunEvent {
  return { type: "tool-call", atMs, step, callId, input: { tool: "run_command", command: text } };
}
function result(
  atMs: number,
  step: number,
  callId: string,
  stdout: string,
  exitCode = 0,
): RunEvent {
  return {
    type: "tool-result",
    atMs,
    step,
    callId,
    outcome: {
      kind: "command",
      exitCode,
      stdout,
      stderr: "",
      durationMs: 400,
      timedOut: false,
      truncated: false,
    },
  };
}

/** A graded three-step run: a 48 s think before step 2, a warning in step 2, a retry before step 3. */
const EVENTS: RunEvent[] = [
  { type: "started", atMs: 0, provider: "p", model: "m", limits, toolMode: "native" },
  { type: "setup", atMs: 100, durationMs: 100, fromSavedState: true },
  usage(1_000, 1, 100),
  { type: "reasoning", atMs: 1_001, step: 1, text: "look at the logs" },
  command(1_002, 1, "a", "journalctl -u nginx"),
  result(1_500, 1, "a", "denied\n", 1),
  usage(49_500, 2, 300),
  { type: "reasoning", atMs: 49_501, step: 2, text: "fix the mode" },
  command(49_502, 2, "b", "chmod 644 /srv/report"),
  result(50_000, 2, "b", ""),
  command(50_001, 2, "c", "chmod 644 /srv/report"),
  result(50_200, 2, "c", ""),
  { type: "warning", atMs: 50_201, label: "repeated-command", steps: [2], message: "again" },
  { type: "retry", atMs: 51_000, attempt: 1, waitMs: 500, message: "rate limited" },
  usage(52_000, 3, 500),
  {
    type: "tool-call",
    atMs: 52_001,
    step: 3,
    callId: "d",
    input: { tool: "finish", summary: "ok" },
  },
  {
    type: "tool-result",
    atMs: 52_002,
    step: 3,
    callId: "d",
    outcome: { kind: "finished", summary: "ok" },
  },
  { type: "finished", atMs: 52_003, reason: "finished", summary: "ok" },
  {
    type: "graded",
    atMs: 55_000,
    grade: {
      passed: true,
      checks: [{ passed: true, text: "reports load" }],
      exitCode: 0,
      notes: [],
      durationMs: 2_000,
    },
  },
  { type: "cloud-state", atMs: 55_001, state: { instances: [] } },
];

const replay = buildReplay(EVENTS);
const kinds = (r: Replay) => r.segments.map((s) => `${s.kind}${s.step}:${s.from}-${s.to}`);

/** Plays from `cursor` in `slices` of real time until it stops, writing each delta as a terminal would. */
function playThrough(r: Replay, cursor: Cursor, sliceMs: number) {
  let text = terminalTextAt(r, cursor.at);
  let c = cursor;
  const seen: number[] = [];
  for (let i = 0; i < 10_000 && c.playing; i++) {
    const next = tick(r, c, sliceMs);
    const delta = terminalDelta(r, c.at, next.at);
    text = delta.reset ? delta.text : text + delta.text;
    c = next;
    seen.push(c.at);
  }
  return { cursor: c, text, seen };
}

describe("replay steps", () => {
  it("groups the events into the start, one segment per model turn, and the end", () => {
    expect(kinds(replay)).toEqual([
      "start0:0-2",
      "step1:2-6",
      // The warning after step 2's commands is step 2's.
      "step2:6-13",
      // The retry before step 3's turn is step 3's.
      "step3:13-17",
      "end4:17-20",
    ]);
  });

  it("plays idle gaps over GAP_CAP_MS as GAP_CAP_MS and every other gap as it was", () => {
    expect(replay.gapsCapped).toBe(true);
    const at = (i: number) => replay.frames[i]!.playMs;
    expect(at(5) - at(4)).toBe(498);
    expect(at(6) - at(5)).toBe(GAP_CAP_MS);
    expect(at(18) - at(17)).toBe(2_997);
    expect(replay.durationMs).toBe(replay.frames.at(-1)!.playMs);
    expect(buildReplay(EVENTS.slice(0, 6)).gapsCapped).toBe(false);
  });
});

describe("the cursor", () => {
  it("opens at the end without a step, and after a step's last event with one", () => {
    expect(initialCursor(replay).at).toBe(20);
    expect(initialCursor(replay, 0).at).toBe(2);
    expect(initialCursor(replay, 2).at).toBe(13);
    expect(initialCursor(replay, 4).at).toBe(20);
    expect(initialCursor(replay, 99).at).toBe(20);
  });

  it("steps forward through every segment and back again, stopping play", () => {
    let c = { ...initialCursor(replay, 0), playing: true };
    const forward: number[] = [];
    for (let i = 0; i < 6; i++) {
      c = stepForward(replay, c);
      forward.push(c.at);
      expect(c.playing).toBe(false);
    }
    expect(forward).toEqual([6, 13, 17, 20, 20, 20]);
    const back: number[] = [];
    for (let i = 0; i < 6; i++) {
      c = stepBack(replay, c);
      back.push(c.at);
    }
    expect(back).toEqual([17, 13, 6, 2, 0, 0]);
  });

  it("finishes a step shown in part going forward, and hides it going back", () => {
    const mid = seekFrame(replay, initialCursor(replay, 0), 8);
    expect(stepForward(replay, mid).at).toBe(13);
    expect(stepBack(replay, mid).at).toBe(6);
  });

  it("names the step shown for the address: 0 at the start, one past the last turn at the end", () => {
    expect(routeStep(replay, 2)).toBe(0);
    expect(routeStep(replay, 8)).toBe(2);
    expect(routeStep(replay, 13)).toBe(2);
    expect(routeStep(replay, 18)).toBe(4);
    expect(routeStep(replay, 20)).toBe(4);
    for (const step of [0, 1, 2, 3, 4])
      expect(routeStep(replay, jumpToStep(replay, initialCursor(replay), step).at)).toBe(step);
  });
});

describe("playing", () => {
  it("shows each event when the replay clock reaches it, at 1× and four times as fast at 4×", () => {
    const start = togglePlay(replay, initialCursor(replay, 0));
    expect(start.playing).toBe(true);
    const oneSecond = tick(replay, start, 1_000);
    expect(oneSecond.at).toBe(
      replay.frames.filter((f) => f.playMs <= start.clockMs + 1_000).length,
    );
    const fast = tick(replay, setSpeed(replay, start, "4x"), 250);
    expect(fast.at).toBe(oneSecond.at);
    expect(fast.clockMs).toBe(oneSecond.clockMs);
  });

  it("takes the capped time to play through, and stops at the end with everything shown", () => {
    const from = togglePlay(replay, initialCursor(replay, 0));
    const { cursor, seen } = playThrough(replay, from, 100);
    expect(cursor).toMatchObject({ at: 20, playing: false });
    const expectedSlices = Math.ceil((replay.durationMs - from.clockMs) / 100);
    expect(seen.length).toBe(expectedSlices);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it("goes to the end at once at instant speed, and starts again from the start when played at the end", () => {
    const instant = setSpeed(replay, initialCursor(replay, 1), "instant");
    expect(togglePlay(replay, instant)).toMatchObject({ at: 20, playing: false });
    const again = togglePlay(replay, initialCursor(replay));
    expect(again).toMatchObject({ at: 1, playing: true });
    expect(togglePlay(replay, again).playing).toBe(false);
  });
});

describe("a live run", () => {
  it("follows new events from the end, and stays where the person moved back to", () => {
    const before = buildReplay(EVENTS.slice(0, 8));
    const after = buildReplay(EVENTS.slice(0, 13));
    const atEnd = initialCursor(before);
    expect(follow(after, atEnd, before.frames.length).at).toBe(13);
    const movedBack = stepBack(before, atEnd);
    expect(follow(after, movedBack, before.frames.length)).toEqual(movedBack);
    // Playing toward the end goes on playing into what arrived.
    const playing = { ...seekFrame(before, atEnd, 7), playing: true };
    expect(follow(after, playing, before.frames.length)).toEqual(playing);
  });
});

describe("the terminal", () => {
  it("has the same text after playing through, seeking anywhere, and drawing every event at once", () => {
    const whole = renderAll(EVENTS);
    const { text } = playThrough(replay, togglePlay(replay, initialCursor(replay, 0)), 37);
    expect(text).toBe(whole);
    // Seeks back and forth, as a person dragging the slider would: each delta applied to the terminal.
    let shown = "";
    let at = 0;
    for (const to of [20, 3, 15, 0, 9, 9, 20, 6, 12, 1]) {
      const delta = terminalDelta(replay, at, to);
      shown = delta.reset ? delta.text : shown + delta.text;
      expect(delta.reset).toBe(to < at);
      at = to;
      expect(shown).toBe(renderAll(EVENTS.slice(0, to)));
    }
  });

  it("writes no more than a terminal keeps: a long jump resets it and writes the last lines whole", () => {
    const lines = (text: string) => text.split("\n").length - 1;
    const whole = renderAll(EVENTS);
    const forward = terminalDelta(replay, 2, 20, 4);
    expect(forward.reset).toBe(true);
    expect(lines(forward.text)).toBeGreaterThanOrEqual(4);
    expect(lines(forward.text)).toBeLessThan(lines(whole));
    expect(whole.endsWith(forward.text)).toBe(true);
    // Cut where an event starts, never inside one (where a colour could be left open).
    const cuts = EVENTS.map((_, k) => renderAll(EVENTS.slice(k)));
    expect(cuts).toContain(forward.text);
    const back = terminalDelta(replay, 20, 13, 4);
    expect(back.reset).toBe(true);
    expect(renderAll(EVENTS.slice(0, 13)).endsWith(back.text)).toBe(true);
    // A short step forward is written as it is.
    expect(terminalDelta(replay, 4, 6, 4)).toEqual({
      reset: false,
      text: renderAll(EVENTS.slice(4, 6)),
    });
  });

  it("seeks by time to the events due by then", () => {
    const c = seekTime(replay, initialCursor(replay), replay.frames[6]!.playMs);
    expect(c.at).toBe(7);
    // The run's first event is due at once.
    expect(seekTime(replay, c, -5).at).toBe(1);
    expect(seekTime(replay, c, 1e12).at).toBe(20);
  });
});

describe("what shows at the cursor", () => {
  it("tokens and cost so far, the warnings so far, the current step's reasoning", () => {
    const step1 = viewAt(replay, 6);
    expect(step1).toMatchObject({
      totalTokens: 100,
      costUsd: 0.01,
      reasoning: ["look at the logs"],
    });
    expect(step1.warnings).toEqual([]);
    expect(step1.grade).toBeUndefined();
    const step2 = viewAt(replay, 13);
    expect(step2).toMatchObject({ totalTokens: 300, reasoning: ["fix the mode"], runMs: 50_201 });
    expect(step2.warnings.map((w) => w.label)).toEqual(["repeated-command"]);
    expect(viewAt(replay, 0)).toMatchObject({ totalTokens: 0, costUsd: null, runMs: 0 });
  });

  it("the grade, the stop and the cloud's state at the end only", () => {
    expect(viewAt(replay, 17).grade).toBeUndefined();
    const end = viewAt(replay, 20);
    expect(end.grade?.checks).toEqual([{ passed: true, text: "reports load" }]);
    expect(end.finished?.reason).toBe("finished");
    expect(end.cloudState).toEqual({ instances: [] });
    expect(end.segment.kind).toBe("end");
  });

  it("each command of a step, with its exit code and time once its result is shown", () => {
    const step1 = replay.segments[1]!;
    expect(commandsOf(replay, step1, 5)).toEqual([{ frame: 4, text: "journalctl -u nginx" }]);
    const done = commandsOf(replay, step1, 6);
    expect(done[0]?.outcome).toMatchObject({ kind: "command", exitCode: 1, durationMs: 400 });
    // The finish call is the end's, not a command.
    expect(commandsOf(replay, replay.segments[3]!, 20)).toEqual([]);
  });
});

describe("approval in the replay", () => {
  it("shows who decided a call beside it once the decision is shown", () => {
    const r = buildReplay([
      { type: "started", atMs: 0, provider: "p", model: "m", limits, toolMode: "native" },
      usage(10, 1, 100),
      command(20, 1, "a", "rm -rf /var/www"),
      {
        type: "approval",
        atMs: 900,
        step: 1,
        callId: "a",
        decision: "edited",
        by: "person",
        asked: { because: "every" },
        input: { tool: "run_command", command: "rm -rf /var/www" },
        edited: { tool: "run_command", command: "ls /var/www" },
        waitedMs: 880,
      },
      result(950, 1, "a", "index.html\n"),
    ]);
    const step1 = r.segments[1]!;
    const before = commandsOf(r, step1, 3);
    expect(before[0]?.approval).toBeUndefined();
    const after = commandsOf(r, step1, 5);
    expect(after[0]).toMatchObject({
      text: "rm -rf /var/www",
      approval: { decision: "edited", text: "edited: rm -rf /var/www → ls /var/www" },
      outcome: { kind: "command", stdout: "index.html\n" },
    });
  });
});

describe("odd records", () => {
  it("a run without events: one empty start, a cursor that cannot move", () => {
    const empty = buildReplay([]);
    expect(kinds(empty)).toEqual(["start0:0-0"]);
    const c = initialCursor(empty, 3);
    expect(c.at).toBe(0);
    expect(togglePlay(empty, c).playing).toBe(false);
    expect(stepForward(empty, c).at).toBe(0);
    expect(stepBack(empty, c).at).toBe(0);
    expect(viewAt(empty, 0).segment.kind).toBe("start");
    expect(terminalTextAt(empty, 0)).toBe("");
  });

  it("a run stopped before the model's first turn: the start and the end", () => {
    const r = buildReplay([EVENTS[0]!, EVENTS[1]!, EVENTS[17]!]);
    expect(kinds(r)).toEqual(["start0:0-2", "end1:2-3"]);
    expect(initialCursor(r, 0).at).toBe(2);
    expect(initialCursor(r, 1).at).toBe(3);
  });

  it("an interrupted run (no end): its last step is the end of the replay", () => {
    const r = buildReplay(EVENTS.slice(0, 8));
    expect(kinds(r)).toEqual(["start0:0-2", "step1:2-6", "step2:6-8"]);
    expect(routeStep(r, 8)).toBe(2);
    expect(initialCursor(r, 2).at).toBe(8);
    expect(viewAt(r, 8).grade).toBeUndefined();
  });

  it("a clock that goes backwards and a step number seen twice or missing", () => {
    const r = buildReplay([
      usage(5_000, 1, 10),
      command(4_000, 1, "a", "true"),
      usage(4_500, 3, 20),
      usage(6_000, 1, 30),
    ]);
    expect(r.frames.map((f) => f.playMs)).toEqual([0, 0, 0, 1_000]);
    expect(kinds(r)).toEqual(["start0:0-0", "step1:0-2", "step3:2-3", "step1:3-4"]);
    expect(initialCursor(r, 2).at).toBe(2);
    expect(initialCursor(r, 1).at).toBe(2);
    const { cursor } = playThrough(r, togglePlay(r, initialCursor(r, 0)), 10);
    expect(cursor.at).toBe(4);
  });
});
