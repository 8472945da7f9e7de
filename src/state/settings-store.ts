// The person's settings (provider, model, limits) and API key; saved versioned, the key only when asked.
import { z } from "zod";
import { createStore, type StoreApi } from "zustand/vanilla";
import { PROVIDER_PRESETS, type ProviderPreset } from "../agent/providers/presets";
import type { ProviderConfig } from "../agent/providers/create-client";
import { DEFAULT_PRICES, findPrice, type ModelPrice, type PriceTable } from "../agent/prices";

export { PROVIDER_PRESETS, findPrice };

/** NOTE: bump when the saved shape changes, and read the old one in `readSettings`. */
export const SETTINGS_VERSION = 1;
export const SETTINGS_STORAGE_KEY = "opslab.settings";
/** Keys are saved apart from the settings, one per provider preset, and only when the person asks. */
export const KEY_STORAGE_PREFIX = "opslab.apiKey.";

const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  presetId: z.string(),
  kind: z.enum(["openai", "anthropic", "openai-compatible"]),
  baseUrl: z.string(),
  model: z.string(),
  toolMode: z.enum(["native", "text"]),
  /** Caps on top of each task's own limits; 0 means no cap. */
  maxSteps: z.number().int().min(0).max(500),
  maxTokens: z.number().int().min(0),
  maxCostUsd: z.number().min(0),
  stopOnWarning: z.boolean(),
  rememberKey: z.boolean(),
  /** Prices the person set, by model: dollars per million tokens. */
  prices: z.record(
    z.string(),
    z.object({ inputUsdPerMTok: z.number().min(0), outputUsdPerMTok: z.number().min(0) }),
  ),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** The saving place for settings (localStorage in the page, a map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const DEFAULT_PRESET = PROVIDER_PRESETS[0]!;
export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  presetId: DEFAULT_PRESET.id,
  kind: DEFAULT_PRESET.kind,
  baseUrl: DEFAULT_PRESET.baseUrl,
  model: DEFAULT_PRESET.defaultModel,
  toolMode: "native",
  maxSteps: 0,
  maxTokens: 200_000,
  maxCostUsd: 1,
  stopOnWarning: false,
  rememberKey: false,
  prices: {},
};

/** Reads saved settings; anything unreadable gives the defaults and a notice, never a crash. */
export function readSettings(storage: KeyValueStorage): { settings: Settings; notice?: string } {
  const raw = storage.getItem(SETTINGS_STORAGE_KEY);
  if (raw === null) return { settings: DEFAULT_SETTINGS };
  try {
    const parsed = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...JSON.parse(raw) });
    if (parsed.success) return { settings: parsed.data };
    const issue = parsed.error.issues[0];
    return {
      settings: DEFAULT_SETTINGS,
      notice: `Saved settings were unreadable (${issue?.path.join(".")}: ${issue?.message}); the defaults are in use.`,
    };
  } catch {
    return {
      settings: DEFAULT_SETTINGS,
      notice: "Saved settings were corrupt; the defaults are in use.",
    };
  }
}

export interface SettingsState {
  settings: Settings;
  /** The API key of the current preset, in memory. */
  apiKey: string;
  notice: string | undefined;
  update(patch: Partial<Omit<Settings, "version">>): void;
  choosePreset(preset: ProviderPreset): void;
  setApiKey(key: string): void;
  providerConfig(): ProviderConfig;
  /** The price list in use: the defaults with the person's own prices over them. */
  prices(): PriceTable;
  /** Sets the price of a model (dollars per million tokens). */
  setPrice(model: string, price: ModelPrice): void;
}

export function createSettingsStore(storage: KeyValueStorage): StoreApi<SettingsState> {
  const { settings, notice } = readSettings(storage);
  const keys = new Map<string, string>();
  const savedKey = (presetId: string) => storage.getItem(KEY_STORAGE_PREFIX + presetId) ?? "";

  const persist = (next: Settings, key: string) => {
    storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(next));
    // NOTE: the key is written only when the person ticked "remember"; unticking forgets it.
    if (next.rememberKey && key) storage.setItem(KEY_STORAGE_PREFIX + next.presetId, key);
    else storage.removeItem(KEY_STORAGE_PREFIX + next.presetId);
  };

  return createStore<SettingsState>()((set, get) => ({
    settings,
    apiKey: settings.rememberKey ? savedKey(settings.presetId) : "",
    notice,
    update(patch) {
      const next = { ...get().settings, ...patch };
      persist(next, get().apiKey);
      set({ settings: next, notice: undefined });
    },
    choosePreset(preset) {
      const current = get();
      keys.set(current.settings.presetId, current.apiKey);
      const next: Settings = {
        ...current.settings,
        presetId: preset.id,
        kind: preset.kind,
        baseUrl: preset.baseUrl,
        model: preset.defaultModel,
      };
      const key = keys.get(preset.id) ?? (next.rememberKey ? savedKey(preset.id) : "");
      persist(next, key);
      set({ settings: next, apiKey: key });
    },
    setApiKey(key) {
      persist(get().settings, key);
      set({ apiKey: key });
    },
    prices() {
      return { ...DEFAULT_PRICES, ...get().settings.prices };
    },
    setPrice(model, price) {
      get().update({ prices: { ...get().settings.prices, [model]: price } });
    },
    providerConfig() {
      const { kind, baseUrl, model, toolMode } = get().settings;
      return { kind, baseUrl, model, toolMode };
    },
  }));
}
