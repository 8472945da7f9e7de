// Unit tests of the "Why it failed" panel and the step marks: each label with its sentence and steps, jumps, hostile text, in the replay.
import { isValidElement, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { FailureLabel } from "../../domain/failure";
import { makeRun } from "../../domain/run-builders";
import { summarizeEvents, type RunEvent } from "../../domain/run";
import { FailureLabels } from "./FailureLabels";
import { ReplayViewer } from "./ReplayViewer";

const labels: FailureLabel[] = [
  { label: "ignored-error", steps: [1, 2], explanation: "“chmod -R o+rX /srv/report” failed." },
  { label: "step-limit", steps: [], explanation: "The run used all its 5 steps." },
];

/** Every <button> element in a rendered tree (the component has no hooks, so it can be called). */
function buttons(node: ReactNode): ReactElement<{ onClick: () => void; children: ReactNode }>[] {
  if (Array.isArray(node)) return node.flatMap(buttons);
  if (!isValidElement<{ children?: ReactNode; onClick?: () => void }>(node)) return [];
  const own =
    node.type === "button"
      ? [node as ReactElement<{ onClick: () => void; children: ReactNode }>]
      : [];
  return [...own, ...buttons(node.props.children)];
}

describe("Why it failed", () => {
  it("lists each label with its sentence, and a button for each of its steps", () => {
    const html = renderToStaticMarkup(
      <FailureLabels labels={labels} passed={false} onJump={() => {}} />,
    );
    expect(html).toContain("Why it failed");
    expect(html).toContain("Ignored error");
    expect(html).toContain("“chmod -R o+rX /srv/report” failed.");
    expect(html).toContain("Ran out of steps");
    expect(html.match(/data-testid="failure-label-step"/g)).toHaveLength(2);
  });

  it("jumps the replay to the step of the button pressed", () => {
    const jumped: number[] = [];
    const tree = FailureLabels({ labels, passed: false, onJump: (step) => jumped.push(step) });
    const steps = buttons(tree);
    expect(steps.map((b) => b.props.children)).toEqual([
      ["Step ", 1],
      ["Step ", 2],
    ]);
    steps[1]!.props.onClick();
    expect(jumped).toEqual([2]);
  });

  it("says nothing for a run without labels, and 'notice' for a pass", () => {
    expect(
      renderToStaticMarkup(<FailureLabels labels={[]} passed={false} onJump={() => {}} />),
    ).toBe("");
    const html = renderToStaticMarkup(<FailureLabels labels={labels} passed onJump={() => {}} />);
    expect(html).toContain("Passed, but notice");
  });

  it("renders what the agent typed as text", () => {
    const hostile: FailureLabel[] = [
      { label: "off-task", steps: [1], explanation: "“<img src=x onerror=alert(1)>” changed." },
    ];
    const html = renderToStaticMarkup(
      <FailureLabels labels={hostile} passed={false} onJump={() => {}} />,
    );
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img");
  });

  it("shows in the replay viewer, and marks the labelled steps in the step list", () => {
    const events: RunEvent[] = [
      {
        type: "tool-call",
        atMs: 1,
        step: 1,
        callId: "a",
        input: { tool: "run_command", command: "systemctl restart nginx" },
      },
      {
        type: "tool-result",
        atMs: 2,
        step: 1,
        callId: "a",
        outcome: {
          kind: "command",
          exitCode: 1,
          stdout: "",
          stderr: "failed",
          durationMs: 1,
          timedOut: false,
          truncated: false,
        },
      },
      {
        type: "tool-call",
        atMs: 3,
        step: 2,
        callId: "b",
        input: { tool: "finish", summary: "Fixed." },
      },
      { type: "finished", atMs: 4, reason: "finished", summary: "Fixed." },
      {
        type: "graded",
        atMs: 5,
        grade: {
          passed: false,
          checks: [{ passed: false, text: "site" }],
          exitCode: 1,
          notes: [],
          durationMs: 1,
        },
      },
    ];
    const html = renderToStaticMarkup(
      <ReplayViewer record={makeRun({ events, outcome: summarizeEvents(events) })} />,
    );
    expect(html).toContain('data-testid="failure-labels"');
    expect(html).toContain('data-label="ignored-error"');
    expect(html).toContain("“systemctl restart nginx” failed");
    const marks = html.match(/data-testid="step-label-marks"/g) ?? [];
    expect(marks).toHaveLength(2);
    expect(html).toMatch(/data-step="1"[^]*?Ignored error[^]*?Did not verify/);
  });
});
