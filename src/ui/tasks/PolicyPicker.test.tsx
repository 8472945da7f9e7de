// Unit tests of the Lab's command policy as rendered: the picker with its rules and syntax, and a refused call marked on the timeline.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../domain/run";
import {
  createSettingsStore,
  type KeyValueStorage,
  type SettingsState,
} from "../../state/settings-store";
import { RunTimeline } from "../run/RunTimeline";
import { PolicyPicker } from "./PolicyPicker";

/** NOTE: a server render reads a store's initial state: the settings are saved first, then read by a new store. */
function settingsStore(patch: Parameters<SettingsState["update"]>[0]) {
  const map = new Map<string, string>();
  const storage: KeyValueStorage = {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    keys: () => [...map.keys()],
  };
  createSettingsStore(storage).getState().update(patch);
  return createSettingsStore(storage);
}

describe("PolicyPicker", () => {
  it("shows the chosen preset and the person's rules, with the rules' syntax", () => {
    const settings = settingsStore({ policy: "no-destructive", policyDeny: ["systemctl stop *"] });
    const html = renderToStaticMarkup(<PolicyPicker settings={settings} disabled={false} />);
    expect(html).toContain('<option value="no-destructive" selected="">');
    expect(html).toContain("systemctl stop *</textarea>");
    expect(html).toContain("Own rules (1)");
    expect(html).toContain("a rule matches a command that starts with these words");
  });
});

describe("RunTimeline", () => {
  it("marks a refused call with what was refused and why, and that nothing ran", () => {
    const events: RunEvent[] = [
      {
        type: "tool-call",
        atMs: 1,
        step: 1,
        callId: "a",
        input: { tool: "run_command", command: "chmod 777 /srv <b>" },
      },
      {
        type: "tool-result",
        atMs: 2,
        step: 1,
        callId: "a",
        outcome: { kind: "refused", part: "chmod 777 /srv <b>", reason: "no", unjudged: false },
      },
    ];
    const html = renderToStaticMarkup(<RunTimeline events={events} liveText="" />);
    expect(html).toContain('data-testid="refused"');
    expect(html).toContain("<code>chmod 777 /srv &lt;b&gt;</code> — no; nothing ran");
  });
});
