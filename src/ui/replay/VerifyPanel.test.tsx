// Unit tests of the Verify panel as rendered: the headline both ways, each check, where outputs differ, progress, a refusal, a kept result.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createStore } from "zustand/vanilla";
import { makeRun } from "../../domain/run-builders";
import type { VerifyReport } from "../../domain/verification";
import { createVerifyStore, type VerifyState } from "../../state/verify-store";
import { VerifyPanel } from "./VerifyPanel";

const record = makeRun({ id: "run-1" });

const report: VerifyReport = {
  reproduced: false,
  verdict: { recorded: "pass", now: "fail" },
  checks: [
    { text: "the site answers", recorded: true, now: false },
    { text: "the key is private", recorded: true, now: true },
  ],
  steps: [
    {
      step: 1,
      command: "date",
      same: false,
      difference: "output",
      differences: ["stdout differs only in numbers"],
    },
    {
      step: 2,
      command: "chmod 644 x",
      same: false,
      difference: "outcome",
      differences: ["exit code 0 when recorded, 1 now"],
    },
  ],
  findings: [],
  skipped: [],
  setupMs: 1000,
  replayMs: 2000,
  gradeMs: 3000,
  durationMs: 6000,
};

function render(state: Partial<VerifyState>): string {
  const real = createVerifyStore({
    vm: () => undefined,
    vmBusy: () => undefined,
    verifyRun: async function* () {},
    now: () => new Date(),
  });
  // NOTE: a server render reads the store's initial state, so the state is made the initial one.
  const store = createStore<VerifyState>()(() => ({ ...real.getState(), ...state }));
  return renderToStaticMarkup(<VerifyPanel record={record} task={undefined} store={store} />);
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("VerifyPanel", () => {
  it("says a verdict does not reproduce, check by check, and where the outcome differed", () => {
    const shown = text(render({ phase: "done", runId: "run-1", report }));
    expect(shown).toContain("Does not reproduce: recorded PASS, now FAIL");
    expect(shown).toContain("✓ ✗ the site answers");
    expect(shown).toContain("✓ ✓ the key is private");
    expect(shown).toContain("1 other output only");
    expect(shown).toContain("step 2: chmod 644 x exit code 0 when recorded, 1 now");
    expect(shown).toContain("6.0 s in all");
  });

  it("says a verdict reproduces", () => {
    const same = {
      ...report,
      reproduced: true,
      verdict: { recorded: "pass", now: "pass" },
    } as const;
    expect(text(render({ phase: "done", runId: "run-1", report: same }))).toContain(
      "Reproduced: PASS → PASS",
    );
  });

  it("shows the step under way with Stop, and a refusal", () => {
    const running = render({
      phase: "verifying",
      runId: "run-1",
      progress: {
        stage: "replaying",
        index: 2,
        total: 5,
        command: "systemctl restart nginx\nmore",
      },
    });
    expect(text(running)).toContain("Replaying step 2 of 5: systemctl restart nginx");
    expect(running).toContain(">Stop</button>");
    const refused = text(
      render({ phase: "done", runId: "run-1", error: "An agent run is using Linux." }),
    );
    expect(refused).toContain("An agent run is using Linux.");
  });

  it("shows the run's kept result when it was verified before, and nothing of another run's verification", () => {
    const kept = {
      runId: "run-1",
      verifiedAt: "2026-12-03T04:00:00.000Z",
      reproduced: false,
      verdict: { recorded: "pass", now: "fail" },
      outcomeDifferences: 1,
      durationMs: 6000,
    } as const;
    expect(text(render({ results: { "run-1": kept } }))).toContain(
      "Does not reproduce: recorded PASS, now FAIL (verified",
    );
    const other = text(render({ phase: "verifying", runId: "run-2" }));
    expect(other).toContain("Another run is being verified.");
    expect(other).not.toContain("Replaying");
  });
});
