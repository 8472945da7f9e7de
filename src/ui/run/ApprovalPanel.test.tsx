// Unit tests of approval mode as rendered: the call that waits (as text, why, countdown), the Lab's picker, and each decision on the timeline and in the terminal.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../domain/run";
import { createSettingsStore, type KeyValueStorage } from "../../state/settings-store";
import { ApprovalPicker } from "../tasks/ApprovalPicker";
import { ApprovalPanel } from "./ApprovalPanel";
import { RunTimeline } from "./RunTimeline";
import { render } from "./terminal-text";

const HOSTILE = "echo '<img src=x onerror=alert(1)>' > /var/www/index.html";

describe("ApprovalPanel", () => {
  it("shows the call as text, why it is asked, the time left and the three answers", () => {
    const html = renderToStaticMarkup(
      <ApprovalPanel
        pending={{
          request: {
            step: 3,
            callId: "c",
            input: { tool: "run_command", command: HOSTILE },
            asked: { because: "unjudged", part: "eval $X", reason: "eval runs text" },
            timeoutSeconds: 120,
          },
          askedAt: Date.now() - 30_500,
        }}
        onAnswer={() => {}}
      />,
    );
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("The policy cannot judge this: eval $X — eval runs text.");
    expect(html).toMatch(/rejected in (89|90) s/);
    for (const id of ["approval-approve", "approval-edit-open", "approval-reject"])
      expect(html).toContain(`data-testid="${id}"`);
  });

  it("has no countdown when the call waits forever", () => {
    const html = renderToStaticMarkup(
      <ApprovalPanel
        pending={{
          request: {
            step: 1,
            callId: "c",
            input: { tool: "write_file", path: "/etc/x", content: "y" },
            asked: { because: "every" },
            timeoutSeconds: 0,
          },
          askedAt: 0,
        }}
        onAnswer={() => {}}
      />,
    );
    expect(html).not.toContain("approval-countdown");
    expect(html).toContain("Its write to /etc/x:");
  });
});

describe("ApprovalPicker", () => {
  it("shows the mode, the rules that approve alone, and the time-out once a mode is on", () => {
    const map = new Map<string, string>();
    const storage: KeyValueStorage = {
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
      keys: () => [...map.keys()],
    };
    const off = renderToStaticMarkup(
      <ApprovalPicker settings={createSettingsStore(storage)} disabled={false} />,
    );
    expect(off).toContain('<option value="off" selected="">');
    expect(off).not.toContain("Reject after");
    createSettingsStore(storage)
      .getState()
      .update({ approval: "every", approvalAuto: ["read-only"], approvalTimeoutSeconds: 45 });
    const settings = createSettingsStore(storage);
    expect(settings.getState().approvalSetting()).toEqual({
      mode: "every",
      autoApprove: ["read-only"],
      timeoutSeconds: 45,
    });
    const on = renderToStaticMarkup(<ApprovalPicker settings={settings} disabled={false} />);
    expect(on).toContain('<option value="every" selected="">');
    expect(on).toMatch(/checked=""[^>]*\/> Approve read-only commands without asking/);
    expect(on).toContain('value="45"');
    expect(settings.getState().update({ approvalTimeoutSeconds: -5 })).toHaveProperty(
      "approvalTimeoutSeconds",
    );
  });
});

describe("decisions on the timeline and in the terminal", () => {
  const decided = (patch: Partial<Extract<RunEvent, { type: "approval" }>>): RunEvent => ({
    type: "approval",
    atMs: 5_000,
    step: 1,
    callId: "c",
    decision: "approved",
    by: "person",
    input: { tool: "run_command", command: "rm -rf /var/www" },
    waitedMs: 4_000,
    ...patch,
  });

  it("says who decided what on the timeline, the agent's words as text", () => {
    const html = renderToStaticMarkup(
      <RunTimeline
        liveText=""
        events={[
          decided({}),
          decided({ by: "rule", rule: "read-only", waitedMs: 0 }),
          decided({ decision: "edited", edited: { tool: "run_command", command: HOSTILE } }),
          decided({ decision: "rejected", message: "<b>not now</b>" }),
          decided({ decision: "timed-out", by: "time-out" }),
        ]}
      />,
    );
    expect(html).toContain("approved by you");
    expect(html).toContain("approved by rule: read-only");
    expect(html).toContain("edited: rm -rf /var/www → echo &#x27;&lt;img");
    expect(html).toContain("rejected: &lt;b&gt;not now&lt;/b&gt;");
    expect(html).toContain("timed out: nobody answered, rejected");
    expect(html).not.toContain("<img");
  });

  it("marks an edit or a rejection in the agent's terminal, not a plain approval", () => {
    expect(render(decided({}))).toBe("");
    expect(
      render(decided({ decision: "edited", edited: { tool: "run_command", command: "ls" } })),
    ).toBe("\x1b[33m[edited: rm -rf /var/www → ls]\x1b[0m\r\n");
  });
});
