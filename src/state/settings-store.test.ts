// Unit tests of the settings store: defaults, versioned saving, and where the API key goes.
import { describe, expect, it } from "vitest";
import { PROVIDER_PRESETS } from "../agent/providers/presets";
import {
  checkSettings,
  createSettingsStore,
  DEFAULT_SETTINGS,
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
    keys: () => [...map.keys()],
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

  it("forgets every provider's saved key when 'remember' is unticked, and keeps them for the tab", () => {
    const { map, storage } = memoryStorage();
    const store = createSettingsStore(storage);
    const anthropic = PROVIDER_PRESETS.find((p) => p.id === "anthropic")!;
    store.getState().update({ rememberKey: true });
    store.getState().setApiKey(KEY);
    store.getState().choosePreset(anthropic);
    store.getState().setApiKey(`${KEY}-anthropic`);
    expect(store.getState().savedKeyPresets().sort()).toEqual(["anthropic", "openai"]);

    store.getState().update({ rememberKey: false });
    expect([...map.keys()].filter((k) => k.startsWith(KEY_STORAGE_PREFIX))).toEqual([]);
    expect([...map.values()].join("\n")).not.toContain(KEY);
    expect(store.getState().savedKeyPresets()).toEqual([]);
    // The keys typed in this tab still work until it closes.
    expect(store.getState().apiKey).toBe(`${KEY}-anthropic`);
    store.getState().choosePreset(PROVIDER_PRESETS[0]!);
    expect(store.getState().apiKey).toBe(KEY);
  });

  it("forgets keys left in storage while 'remember' was off", () => {
    const { map, storage } = memoryStorage({
      [SETTINGS_STORAGE_KEY]: JSON.stringify({ version: 1, rememberKey: false }),
      [`${KEY_STORAGE_PREFIX}groq`]: KEY,
    });
    expect(createSettingsStore(storage).getState().apiKey).toBe("");
    expect(map.has(`${KEY_STORAGE_PREFIX}groq`)).toBe(false);
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
    for (const saved of ["{not json", "[1, 2]", "null"]) {
      const store = createSettingsStore(memoryStorage({ [SETTINGS_STORAGE_KEY]: saved }).storage);
      expect(store.getState().settings).toEqual(DEFAULT_SETTINGS);
      expect(store.getState().notice).toMatch(/defaults are in use/);
    }
  });

  it("keeps every good saved setting and names the one bad value it reset", () => {
    const saved = {
      version: 1,
      presetId: "groq",
      kind: "openai-compatible",
      baseUrl: "https://api.groq.com/openai/v1",
      model: "llama-3.3-70b-versatile",
      maxSteps: 12,
      maxTokens: -5,
      maxCostUsd: 0.5,
      stopOnWarning: true,
      prices: { mine: { inputUsdPerMTok: 1, outputUsdPerMTok: 2 }, bad: { inputUsdPerMTok: -1 } },
    };
    const { storage } = memoryStorage({ [SETTINGS_STORAGE_KEY]: JSON.stringify(saved) });
    const store = createSettingsStore(storage);
    expect(store.getState().settings).toEqual({
      ...DEFAULT_SETTINGS,
      ...saved,
      maxTokens: DEFAULT_SETTINGS.maxTokens,
      prices: { mine: { inputUsdPerMTok: 1, outputUsdPerMTok: 2 } },
    });
    expect(store.getState().notice).toMatch(
      /reset to their defaults: Max tokens \(it must be 0 \(no cap\) or more\); the price of bad/,
    );
    expect(store.getState().notice).toMatch(/Every other setting is kept/);

    // Once read, the notice goes and the repaired settings are what is saved.
    store.getState().dismissNotice();
    expect(store.getState().notice).toBeUndefined();
    const again = createSettingsStore(storage);
    expect(again.getState().notice).toBeUndefined();
    expect(again.getState().settings).toEqual(store.getState().settings);
  });

  it("refuses a bad value as it is typed, says why, and never saves it", () => {
    const { map, storage } = memoryStorage();
    const store = createSettingsStore(storage);
    store.getState().update({ maxTokens: 50_000 });
    const before = map.get(SETTINGS_STORAGE_KEY);

    expect(store.getState().update({ maxTokens: -1 })).toEqual({ maxTokens: "0 (no cap) or more" });
    expect(store.getState().update({ maxSteps: 2.5, maxCostUsd: Number.NaN })).toEqual({
      maxSteps: "a whole number of steps",
      maxCostUsd: "a number",
    });
    expect(store.getState().update({ maxSteps: 501 })).toEqual({ maxSteps: "at most 500" });
    expect(store.getState().update({ baseUrl: "https://x.example/v1?key=sk-1" })).toMatchObject({
      baseUrl: expect.stringMatching(/no key or query/),
    });
    expect(
      store.getState().setPrice("m", { inputUsdPerMTok: -2, outputUsdPerMTok: 1 }),
    ).toMatchObject({ prices: "0 (free) or more" });
    expect(map.get(SETTINGS_STORAGE_KEY)).toBe(before);
    expect(store.getState().settings.maxTokens).toBe(50_000);

    expect(checkSettings({ maxTokens: 0, baseUrl: "", maxCostUsd: 2.5 })).toEqual({});
    expect(store.getState().update({ maxTokens: 0 })).toEqual({});
    expect(createSettingsStore(storage).getState().settings.maxTokens).toBe(0);
  });
});

describe("reasoning in settings", () => {
  it("asks no reasoning by default, saves an effort and an output limit, and gives them to the client", () => {
    const { storage } = memoryStorage();
    const store = createSettingsStore(storage);
    expect(store.getState().providerConfig()).toMatchObject({
      effort: "off",
      maxOutputTokensPerTurn: 0,
    });
    store.getState().choosePreset(PROVIDER_PRESETS.find((p) => p.id === "anthropic")!);
    expect(store.getState().update({ effort: "high", maxOutputTokensPerTurn: 40_000 })).toEqual({});
    expect(createSettingsStore(storage).getState().providerConfig()).toMatchObject({
      kind: "anthropic",
      effort: "high",
      maxOutputTokensPerTurn: 40_000,
    });
  });

  it("starts each provider preset without reasoning, and refuses an effort or a limit it cannot use", () => {
    const store = createSettingsStore(memoryStorage().storage);
    store.getState().update({ effort: "medium" });
    store.getState().choosePreset(PROVIDER_PRESETS.find((p) => p.id === "deepseek")!);
    expect(store.getState().settings.effort).toBe("off");
    expect(store.getState().update({ effort: "extreme" as never })).toHaveProperty("effort");
    expect(store.getState().update({ maxOutputTokensPerTurn: -1 })).toEqual({
      maxOutputTokensPerTurn: "0 (fit to the model) or more",
    });
  });

  it("reads settings saved before reasoning existed with no reasoning asked", () => {
    const saved = { version: 1, presetId: "openai", kind: "openai", model: "o3" };
    const store = createSettingsStore(
      memoryStorage({ [SETTINGS_STORAGE_KEY]: JSON.stringify(saved) }).storage,
    );
    expect(store.getState().settings).toMatchObject({ effort: "off", maxOutputTokensPerTurn: 0 });
    expect(store.getState().notice).toBeUndefined();
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

  it("remembers the command policy and its rules, refusing a rule that does not read as typed", () => {
    const { storage } = memoryStorage();
    const store = createSettingsStore(storage);
    expect(store.getState().commandPolicy()).toBeUndefined();
    expect(
      store.getState().update({ policy: "read-only", policyAllow: ["systemctl restart *"] }),
    ).toEqual({});
    expect(store.getState().update({ policyDeny: ["rm -rf /", "ls | grep"] }).policyDeny).toMatch(
      /"ls \| grep" has "\|": a rule matches one simple command/,
    );
    const again = createSettingsStore(storage);
    expect(again.getState().commandPolicy()).toEqual({
      preset: "read-only",
      allow: ["systemctl restart *"],
    });
  });

  it("keeps the preset of a saved policy whose rules were damaged, and says so", () => {
    const saved = { ...DEFAULT_SETTINGS, policy: "no-destructive", policyDeny: ["a; b"] };
    const { storage } = memoryStorage({ [SETTINGS_STORAGE_KEY]: JSON.stringify(saved) });
    const store = createSettingsStore(storage);
    expect(store.getState().commandPolicy()).toEqual({ preset: "no-destructive" });
    expect(store.getState().notice).toMatch(/Deny rules/);
  });
});
