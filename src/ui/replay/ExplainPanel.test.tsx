// Unit tests of the "Find where it went wrong" panel as rendered: progress bar, the damage and best steps with the damage step's command, a note, an error; and the marks on the step list.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createStore } from "zustand/vanilla";
import type { ExplainReport } from "../../domain/explanation";
import type { RunEvent } from "../../domain/run";
import { makeRun } from "../../domain/run-builders";
import { createExplainStore, explanationMarks, type ExplainState } from "../../state/explain-store";
import { ExplainPanel } from "./ExplainPanel";
import { buildReplay } from "./playback";
import { StepList } from "./StepList";

const call = (step: number, command: string): RunEvent => ({
  type: "tool-call",
  atMs: step * 1000,
  step,
  callId: `c${step}`,
  input: { tool: "run_command", command },
});
const record = makeRun({
  id: "run-1",
  events: [call(1, "ls /srv"), call(2, "rm -rf /srv/reports/q3 <b>"), call(3, "chmod 755 /srv")],
});

const report: ExplainReport = {
  damageStep: 2,
  bestStep: { afterStep: 3, checksPassed: 5, checksTotal: 11 },
  probes: [
    { afterStep: 0, kind: "checks", checks: [{ text: "up", passed: false }], durationMs: 9000 },
    { afterStep: 0, kind: "reference", referenceFixes: true, durationMs: 12_000 },
    { afterStep: 2, kind: "reference", referenceFixes: false, durationMs: 11_000 },
  ],
  durationMs: 95_000,
};

function render(state: Partial<ExplainState>): string {
  const real = createExplainStore({
    vm: () => undefined,
    vmBusy: () => undefined,
    explainRun: async function* () {},
    now: () => new Date(),
  });
  // NOTE: a server render reads the store's initial state, so the state is made the initial one.
  const store = createStore<ExplainState>()(() => ({ ...real.getState(), ...state }));
  return renderToStaticMarkup(
    <ExplainPanel record={record} task={undefined} store={store} onJump={() => undefined} />,
  );
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
const kept = { runId: "run-1", explainedAt: "2026-12-03T04:00:00.000Z", report };

describe("ExplainPanel", () => {
  it("names the step where it went wrong with its command (as text), the closest step, and the probes", () => {
    const html = render({ phase: "done", runId: "run-1", results: { "run-1": kept } });
    const shown = text(html);
    expect(shown).toContain("Went wrong at step 2 : $ rm -rf /srv/reports/q3 &lt;b&gt;");
    expect(shown).toContain("Closest after step 3 : 5 of 11 checks pass");
    expect(shown).toContain("3 probes in");
    expect(shown).toContain("after step 2: the reference does not fix it");
    expect(html).not.toContain("<b>");
  });

  it("shows a progress bar while it probes, with Stop", () => {
    const html = render({
      phase: "explaining",
      runId: "run-1",
      progress: { stage: "probing", index: 3, estimatedTotal: 8, afterStep: 2, kind: "reference" },
    });
    expect(html).toContain('<progress max="8" value="2">');
    expect(text(html)).toContain("Probe 3 of about 8: the reference solution after step 2");
    expect(text(html)).toContain("Stop");
  });

  it("says why it could not, and what a note says", () => {
    const noted = {
      ...kept,
      report: {
        ...report,
        damageStep: null,
        note: "the reference does not fix the task as readied here",
      },
    };
    const shown = text(
      render({
        phase: "done",
        runId: "run-1",
        error: "Linux is busy.",
        results: { "run-1": noted },
      }),
    );
    expect(shown).toContain("Linux is busy.");
    expect(shown).toContain("No step is to blame");
    expect(shown).toContain("Note: the reference does not fix the task as readied here.");
  });
});

describe("StepList marks", () => {
  it("marks the damage step and the closest step", () => {
    const html = renderToStaticMarkup(
      <StepList
        replay={buildReplay(record.events)}
        at={0}
        current={0}
        onJump={() => undefined}
        marks={explanationMarks(report)}
      />,
    );
    expect(html.match(/data-testid="replay-mark-damage"/g)).toHaveLength(1);
    expect(html).toMatch(
      /data-step="2"[^]*replay-mark-damage[^]*data-step="3"[^]*replay-mark-best/,
    );
  });
});
