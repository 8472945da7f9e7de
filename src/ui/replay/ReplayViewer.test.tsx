// Unit tests of the replay viewer as rendered on its first paint: odd records (no events, v1, interrupted, huge outputs, tampered, odd cloud state) never throw.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { restoreRun, type RunEvent, type RunRecord } from "../../domain/run";
import { makeRun } from "../../domain/run-builders";
import { ReplayViewer } from "./ReplayViewer";

const render = (record: RunRecord, step?: number) =>
  renderToStaticMarkup(<ReplayViewer record={record} step={step} />);

const graded = (integrityOk: boolean): RunEvent => ({
  type: "graded",
  atMs: 40,
  grade: {
    passed: true,
    checks: [{ passed: true, text: "the site answers" }],
    exitCode: 0,
    notes: [],
    durationMs: 5,
    integrity: {
      ok: integrityOk,
      findings: integrityOk
        ? []
        : [{ kind: "file", where: "/usr/bin/curl", detail: "/usr/bin/curl was replaced" }],
      stopped: [],
      durationMs: 1,
    },
  },
});

describe("replay viewer", () => {
  it("shows a finished run at its end: steps, the stop, the verdict with its checks", () => {
    const run = makeRun();
    const html = render({ ...run, events: [...run.events, graded(true)] });
    expect(html).toContain('data-testid="replay-steps"');
    expect(html).toContain("Step 1");
    expect(html).toContain('data-verdict="pass"');
    expect(html).toContain("the site answers");
    expect(html).toContain('data-testid="replay-finished"');
  });

  it("shows only what happened up to the step the address names", () => {
    const run = makeRun();
    const html = render({ ...run, events: [...run.events, graded(true)] }, 1);
    expect(html).toMatch(/data-testid="replay-step" data-step="1">Step 1 of 1/);
    expect(html).not.toContain('data-testid="verdict"');
  });

  it("offers Fork from here on the toolbar and on each step only when the page can fork", () => {
    const run = makeRun();
    expect(render(run)).not.toContain("Fork from here");
    const html = renderToStaticMarkup(<ReplayViewer record={run} onFork={() => undefined} />);
    expect(html).toContain('data-testid="fork-here"');
    expect(html).toContain('aria-label="Fork from step 1"');
  });

  it("says TAMPERED with the findings", () => {
    const run = makeRun();
    const html = render({ ...run, events: [...run.events, graded(false)] });
    expect(html).toContain('data-verdict="tampered"');
    expect(html).toContain("/usr/bin/curl was replaced");
  });

  it("never throws on odd records", () => {
    const huge = "x".repeat(2_000_000);
    const odd: RunRecord[] = [
      makeRun({ events: [] }),
      // Interrupted: no end, a command without its result.
      makeRun({ events: makeRun().events.slice(0, 2) }),
      makeRun({
        events: [
          {
            type: "tool-result",
            atMs: 1,
            step: 1,
            callId: "lost",
            outcome: {
              kind: "command",
              exitCode: 0,
              stdout: huge,
              stderr: huge,
              durationMs: 1,
              timedOut: false,
              truncated: true,
            },
          },
          { type: "cloud-state", atMs: 2, state: null },
        ],
      }),
      makeRun({
        events: [{ type: "cloud-state", atMs: 2, state: { instances: [1, "x"], audit: "no" } }],
      }),
      // Version 1: a grade without its integrity report, read through restoreRun as storage does.
      restoreRun({
        ...makeRun({ schemaVersion: 1 }),
        events: [
          ...makeRun().events,
          {
            type: "graded",
            atMs: 30,
            grade: { passed: false, checks: [], exitCode: 1, notes: ["no"], durationMs: 1 },
          },
        ],
      }),
    ];
    for (const record of odd) {
      expect(() => render(record)).not.toThrow();
      expect(() => render(record, 0)).not.toThrow();
      expect(() => render(record, 99)).not.toThrow();
    }
  });

  it("shows the cloud's resources and audit log when the run has them", () => {
    const state = {
      instances: [{ id: "i-1", name: "web-1", state: "running", privateIp: "10.0.0.5" }],
      regions: [{ id: "r" }],
      audit: [
        {
          seq: 1,
          timeMs: 1500,
          principal: "user/ops",
          action: "StopInstances",
          resource: "i-1",
          params: {},
          outcome: "error",
          errorCode: "AccessDenied",
        },
      ],
    };
    const html = render(makeRun({ events: [{ type: "cloud-state", atMs: 2, state }] }));
    expect(html).toContain('data-testid="cloud-state"');
    expect(html).toContain("web-1");
    expect(html).toContain("AccessDenied");
    expect(html).not.toContain("regions (");
  });

  it("shows the effort asked, the step's thinking apart from its text, and the reasoning tokens", () => {
    const run = makeRun({
      agent: {
        provider: "anthropic",
        model: "claude-opus-4-1",
        toolMode: "native",
        reasoning: { effort: "high", thinkingBudgetTokens: 24_000 },
      },
    });
    const events: RunEvent[] = [
      {
        type: "usage",
        atMs: 10,
        step: 1,
        inputTokens: 50,
        outputTokens: 500,
        totalTokens: 550,
        costUsd: 0.01,
        reasoningTokens: 420,
      },
      { type: "reasoning", atMs: 10, step: 1, kind: "thinking", text: "<b>ports</b> first" },
      { type: "reasoning", atMs: 10, step: 1, kind: "redacted-thinking", text: "" },
      { type: "reasoning", atMs: 10, step: 1, text: "Looking at ports." },
      ...run.events.slice(1),
    ];
    const html = render(restoreRun({ ...run, events }), 1);
    expect(html).toContain("claude-opus-4-1 (effort high, thinking up to 24,000 tokens)");
    expect(html).toContain('data-testid="replay-thinking">&lt;b&gt;ports&lt;/b&gt; first</p>');
    expect(html).toMatch(/Thinking: redacted/);
    expect(html).toContain('data-testid="replay-reasoning">Looking at ports.</p>');
    expect(html).toContain("550 (420 reasoning)");
  });
});
