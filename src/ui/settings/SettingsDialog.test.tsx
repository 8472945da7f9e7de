// Unit tests of Settings as rendered: the reasoning effort and the output per turn, with what they do for the chosen model.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import {
  createSettingsStore,
  PROVIDER_PRESETS,
  type KeyValueStorage,
  type SettingsState,
} from "../../state/settings-store";
import { SettingsDialog } from "./SettingsDialog";

type Patch = Parameters<SettingsState["update"]>[0];

/**
 * A store whose first state has the preset and `patch`. NOTE: rendered on the server, a zustand
 * store shows its initial state, so the settings are saved first and read back as it starts.
 */
function storeWith(presetId: string, patch: Patch) {
  const map = new Map<string, string>();
  const storage: KeyValueStorage = {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    keys: () => [...map.keys()],
  };
  const first = createSettingsStore(storage);
  first.getState().choosePreset(PROVIDER_PRESETS.find((p) => p.id === presetId)!);
  expect(first.getState().update(patch)).toEqual({});
  return createSettingsStore(storage);
}

const render = (store: ReturnType<typeof createSettingsStore>) =>
  renderToStaticMarkup(
    <SettingsDialog store={store} open onClose={() => undefined} listModels={async () => []} />,
  );

describe("settings dialog: reasoning", () => {
  it("offers every effort, off by default, and says the default output per turn", () => {
    const html = render(storeWith("openai", { model: "gpt-4.1-mini" }));
    for (const label of ["Off (none asked)", "Low", "Medium", "High"])
      expect(html).toContain(label);
    expect(html).toMatch(/<option value="off" selected="">/);
    expect(html).toContain("Not a reasoning model.");
    expect(html).toMatch(/Now 4,096\s*(<!-- -->)?\s*tokens a turn/);
  });

  it("says what an effort does for an Anthropic model, and the output it leaves room for", () => {
    const html = render(storeWith("anthropic", { model: "claude-opus-4-1", effort: "medium" }));
    expect(html).toContain("Extended thinking, up to 12,000 tokens a turn.");
    expect(html).toMatch(/Now 16,096/);
  });

  it("warns that OpenAI refuses an effort for a model that does not reason", () => {
    const html = render(storeWith("openai", { model: "gpt-4o", effort: "high" }));
    expect(html).toContain("gpt-4o is not a reasoning model: OpenAI will refuse reasoning_effort.");
  });

  it("shows the person's own output per turn instead of the fitted one", () => {
    const html = render(storeWith("openai", { model: "o3", maxOutputTokensPerTurn: 50_000 }));
    expect(html).toContain('value="50000"');
    expect(html).not.toMatch(/Now 32,000/);
  });
});
