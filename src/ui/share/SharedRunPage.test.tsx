// Unit tests of a shared run's page as rendered: a failed run offers "Find where it went wrong" in this browser's Linux, and shows a kept explanation's marks.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createStore } from "zustand/vanilla";
import type { ExplainReport } from "../../domain/explanation";
import type { RunEvent, RunRecord } from "../../domain/run";
import { makeRun } from "../../domain/run-builders";
import { summarizeEvents } from "../../domain/run";
import { createExplainStore, type ExplainState } from "../../state/explain-store";
import type { ShareState } from "../../state/share-store";
import { createVerifyStore } from "../../state/verify-store";
import { SharedRunPage } from "./SharedRunPage";

const PAYLOAD = "v1.abc";

function failedRun(): RunRecord {
  const events: RunEvent[] = [
    ...makeRun().events.filter((e) => e.type !== "finished"),
    { type: "finished", atMs: 20, reason: "finished", summary: "Fixed." },
    {
      type: "graded",
      atMs: 30,
      grade: {
        passed: false,
        exitCode: 1,
        checks: [{ text: "up", passed: false }],
        notes: [],
        durationMs: 5,
      },
    },
  ];
  return makeRun({ id: "shared-1", events, outcome: summarizeEvents(events) });
}

const report: ExplainReport = {
  damageStep: 1,
  bestStep: null,
  probes: [{ afterStep: 1, kind: "reference", referenceFixes: false, durationMs: 9000 }],
  durationMs: 40_000,
};

function render(record: RunRecord, options: { explain: boolean; kept?: boolean }): string {
  const share = createStore<ShareState>()(
    () =>
      ({
        opened: {
          status: "run",
          payload: PAYLOAD,
          run: { record, task: { id: record.task.id }, hash: "0".repeat(64) },
          task: undefined,
          match: "missing",
        },
        open: async () => undefined,
      }) as unknown as ShareState,
  );
  const verifyStore = createVerifyStore({
    vm: () => undefined,
    vmBusy: () => undefined,
    verifyRun: async function* () {},
    now: () => new Date(),
  });
  const real = createExplainStore({
    vm: () => undefined,
    vmBusy: () => undefined,
    explainRun: async function* () {},
    now: () => new Date(),
  });
  // NOTE: a server render reads the store's initial state, so the state is made the initial one.
  const explainStore = createStore<ExplainState>()(() => ({
    ...real.getState(),
    ...(options.kept && {
      results: { [record.id]: { runId: record.id, explainedAt: "2026-12-03T00:00:00Z", report } },
    }),
  }));
  return renderToStaticMarkup(
    <SharedRunPage
      payload={PAYLOAD}
      share={share}
      verifyStore={verifyStore}
      onStep={() => undefined}
      {...(options.explain && { explainStore })}
    />,
  );
}

describe("SharedRunPage", () => {
  it("offers to find where a failed shared run went wrong", () => {
    const html = render(failedRun(), { explain: true });
    expect(html).toContain('data-testid="explain-panel"');
    expect(html).toContain("Find where it went wrong");
  });

  it("shows a kept explanation of the shared run: its damage step, marked on the step list", () => {
    const html = render(failedRun(), { explain: true, kept: true });
    expect(html).toContain('data-testid="explain-damage"');
    expect(html).toContain('data-testid="replay-mark-damage"');
  });

  it("offers nothing of the kind for a run that passed, or without Linux to run it in", () => {
    expect(render(makeRun({ id: "passed" }), { explain: true })).not.toContain("explain-panel");
    expect(render(failedRun(), { explain: false })).not.toContain("explain-panel");
  });
});
