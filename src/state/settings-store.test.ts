// Unit tests of the settings store: defaults, versioned saving, and where the API key goes.
import { describe, expect, it } from "vitest";
import { PROVIDER_PRESETS } from "../agent/providers/presets";
import {
  createSettingsStore,
  KEY_STORAGE_PREFIX,
  SETTINGS_STORAGE_KEY,
  type KeyValueStorage,
} from "./settings-store";

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  const storage: KeyValueStorage = {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
  return { map, storage };
}

const KEY = "sk-settings-test-123456789";

describe("settings store", () => {
  it("keeps the key in memory only, unless the person asks to remember it", () => {
    const { map, storage } = memoryStorage();
    const store = createSettingsStore(storage);
    store.getState().setApiKey(KEY);
    store.getState().update({ model: "gpt-4o" });
    expect([...map.values()].join("\n")).not.toContain(KEY);
    expect(JSON.parse(map.get(SETTINGS_STORAGE_KEY)!)).toMatchObject({
      version: 1,
      model: "gpt-4o",
    });

    store.getState().update({ rememberKey: true });
    expect(map.get(`${KEY_STORAGE_PREFIX}openai`)).toBe(KEY);
    expect(map.get(SETTINGS_STORAGE_KEY)).not.toContain(KEY);
    expect(createSettingsStore(storage).getState().apiKey).toBe(KEY);

    store.getState().update({ rememberKey: false });
    expect(map.has(`${KEY_STORAGE_PREFIX}openai`)).toBe(false);
  });

  it("keeps one key per provider while switching", () => {
    const store = createSettingsStore(memoryStorage().storage);
    store.getState().setApiKey(KEY);
    store.getState().choosePreset(PROVIDER_PRESETS.find((p) => p.id === "anthropic")!);
    expect(store.getState()).toMatchObject({ apiKey: "", settings: { kind: "anthropic" } });
    store.getState().choosePreset(PROVIDER_PRESETS[0]!);
    expect(store.getState().apiKey).toBe(KEY);
  });

  it("falls back to the defaults with a notice when the saved settings are corrupt", () => {
    for (const saved of ["{not json", JSON.stringify({ version: 1, maxSteps: -3 })]) {
      const store = createSettingsStore(memoryStorage({ [SETTINGS_STORAGE_KEY]: saved }).storage);
      expect(store.getState().settings.presetId).toBe("openai");
      expect(store.getState().notice).toMatch(/defaults are in use/);
    }
  });
});

describe("prices in settings", () => {
  it("lays the person's prices over the defaults, saved with the settings", () => {
    const { map, storage } = memoryStorage();
    const store = createSettingsStore(storage);
    expect(store.getState().prices()["gpt-4o"]).toEqual({
      inputUsdPerMTok: 2.5,
      outputUsdPerMTok: 10,
    });
    store.getState().setPrice("my-local", { inputUsdPerMTok: 0, outputUsdPerMTok: 0.1 });
    store.getState().setPrice("gpt-4o", { inputUsdPerMTok: 2, outputUsdPerMTok: 8 });
    expect(store.getState().prices()).toMatchObject({
      "my-local": { outputUsdPerMTok: 0.1 },
      "gpt-4o": { inputUsdPerMTok: 2 },
    });
    expect(createSettingsStore(storage).getState().prices()["my-local"]).toBeDefined();
    expect(map.get(SETTINGS_STORAGE_KEY)).toContain("my-local");
  });
});
