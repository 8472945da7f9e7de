// Unit tests of the suite picker as first rendered: the policy presets to cross with (none chosen), efforts only for models.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SuitePicker } from "./SuitePicker";

const render = (model: string, effort: string) =>
  renderToStaticMarkup(
    <SuitePicker
      tasks={[]}
      provider="openai"
      model={model}
      effort={effort}
      estimateMs={() => 0}
      disabled={false}
      onCreate={() => undefined}
    />,
  );

/** The checkbox input carrying `attribute`, as rendered. */
const box = (html: string, attribute: string) =>
  new RegExp(`<input[^>]*${attribute}[^>]*>`).exec(html)?.[0] ?? "";

describe("SuitePicker", () => {
  it("offers every policy preset, with none chosen at first", () => {
    const html = render("", "off");
    for (const preset of ["none", "read-only", "no-destructive"])
      expect(box(html, `data-suite-policy="${preset}"`)).not.toBe("");
    expect(box(html, 'data-suite-policy="none"')).toContain("checked");
    expect(box(html, 'data-suite-policy="read-only"')).not.toContain("checked");
    // The oracle alone, under no policy: one agent.
    expect(html).toMatch(/0 tasks × 1 agents × 1 trials = 0 runs/);
  });

  it("offers efforts only when a model is in the suite", () => {
    expect(render("", "high")).not.toContain("data-suite-effort");
  });
});
