// Unit tests of the run timeline as rendered: thinking apart from the model's text, step tokens with reasoning, a cut-off turn.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../domain/run";
import { RunTimeline } from "./RunTimeline";

const usage = (step: number, totalTokens: number, reasoningTokens?: number): RunEvent => ({
  type: "usage",
  atMs: step * 10,
  step,
  inputTokens: totalTokens / 2,
  outputTokens: totalTokens / 2,
  totalTokens,
  costUsd: null,
  ...(reasoningTokens !== undefined && { reasoningTokens }),
});

const EVENTS: RunEvent[] = [
  usage(1, 1_000, 300),
  {
    type: "reasoning",
    atMs: 11,
    step: 1,
    kind: "thinking",
    text: "<img src=x onerror=alert(1)> maybe nginx",
  },
  { type: "reasoning", atMs: 11, step: 1, kind: "redacted-thinking", text: "" },
  { type: "reasoning", atMs: 11, step: 1, text: "Checking nginx." },
  usage(2, 2_500, 700),
  {
    type: "limit",
    atMs: 21,
    step: 2,
    limit: "output",
    message: "Step 2's reply was cut off at its output limit of 32,000 tokens.",
  },
];

describe("run timeline", () => {
  const html = renderToStaticMarkup(<RunTimeline events={EVENTS} liveText="" />);

  it("shows thinking folded apart from the model's text, a redacted block as redacted, as text", () => {
    expect(html).toContain('<details class="thinking" open=""><summary>Thinking</summary>');
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; maybe nginx");
    expect(html).not.toContain("<img");
    expect(html).toMatch(/Thinking: redacted/);
    expect(html).toContain('<p class="reasoning">Checking nginx.</p>');
  });

  it("gives each step its own tokens with the reasoning among them", () => {
    expect(html).toContain("1,000 (300 reasoning) tokens");
    expect(html).toContain("1,500 (400 reasoning) tokens");
  });

  it("says a turn was cut off at its output limit", () => {
    expect(html).toContain('data-testid="output-cut"');
    expect(html).toContain("cut off at its output limit of 32,000 tokens");
  });

  it("streams thinking apart from the text while the turn is under way", () => {
    const live = renderToStaticMarkup(
      <RunTimeline events={[]} liveText="Let me" liveThinking="first the logs" />,
    );
    expect(live).toContain('data-testid="live-thinking">first the logs</p>');
    expect(live).toContain('<p class="reasoning live">Let me</p>');
  });

  it("leaves reasoning tokens out where the provider did not count them", () => {
    const plain = renderToStaticMarkup(<RunTimeline events={[usage(1, 800)]} liveText="" />);
    expect(plain).not.toContain("Step 1");
    const withStep = renderToStaticMarkup(
      <RunTimeline
        events={[usage(1, 800), { type: "reasoning", atMs: 1, step: 1, text: "x" }]}
        liveText=""
      />,
    );
    expect(withStep).toContain("800 tokens");
    expect(withStep).not.toContain("reasoning)");
  });
});
