import { describe, expect, it } from "vitest";
import { makeRun } from "../../domain/run-builders";
import { formatDuration, Progress, progressLine, progressMode } from "./progress";

describe("progressMode", () => {
  it("is quiet in CI, a rewritten line on a terminal, plain lines otherwise", () => {
    expect(progressMode({ CI: "true" }, true)).toBe("quiet");
    expect(progressMode({ CI: "1" }, false)).toBe("quiet");
    expect(progressMode({ CI: "false" }, true)).toBe("tty");
    expect(progressMode({}, true)).toBe("tty");
    expect(progressMode({}, false)).toBe("lines");
  });
});

describe("progressLine", () => {
  it("says done/total, passes, errors, time and time left from the pace so far", () => {
    expect(
      progressLine({ done: 3, total: 12, passes: 2, errors: 1, elapsedMs: 90_000, doneHere: 3 }),
    ).toBe("3/12 · 2 passed · 1 error · 1 min 30 s · about 4 min 30 s left");
    // Resumed: 10 items were done before; 2 here in 60 s → 30 s each for the 8 left.
    expect(
      progressLine({ done: 12, total: 20, passes: 9, errors: 0, elapsedMs: 60_000, doneHere: 2 }),
    ).toBe("12/20 · 9 passed · 1 min 00 s · about 4 min 00 s left");
    expect(
      progressLine({ done: 5, total: 5, passes: 5, errors: 0, elapsedMs: 3_700_000, doneHere: 5 }),
    ).toBe("5/5 · 5 passed · 1 h 01 min");
  });

  it("formats durations", () => {
    expect(formatDuration(42_400)).toBe("42 s");
    expect(formatDuration(-5)).toBe("0 s");
  });
});

describe("Progress", () => {
  it("prints a line per run when not a terminal, and nothing in CI", () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = new Progress(
      2,
      "lines",
      (t) => lines.push(t),
      () => clock,
    );
    clock = 10_000;
    progress.ran(makeRun(), 1);
    progress.failed("t|p/m|2", "setup failed");
    expect(lines).toEqual([
      "no verdict (finished) t p/m #1 1 steps 0 s  [1/2 · 0 passed · 10 s · about 10 s left]\n",
      "ERROR t|p/m|2: setup failed  [2/2 · 0 passed · 1 error · 10 s]\n",
    ]);
    const quiet: string[] = [];
    const silent = new Progress(1, "quiet", (t) => quiet.push(t));
    silent.ran(makeRun(), 1);
    silent.end();
    expect(quiet).toEqual([]);
  });

  it("rewrites one line on a terminal", () => {
    const out: string[] = [];
    const progress = new Progress(
      2,
      "tty",
      (t) => out.push(t),
      () => 0,
    );
    progress.ran(makeRun(), 1);
    progress.end();
    expect(out[0]).toMatch(/^\r\x1b\[K.*\n1\/2 · 0 passed/);
    expect(out[1]).toBe("\n");
  });
});
