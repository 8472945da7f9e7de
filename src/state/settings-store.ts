// The person's settings (provider, model, limits) and API key: checked field by field, saved versioned, the key only when asked.
import { z } from "zod";
import { createStore, type StoreApi } from "zustand/vanilla";
import { PROVIDER_PRESETS, type ProviderPreset } from "../agent/providers/presets";
import type { ProviderConfig } from "../agent/providers/create-client";
import { DEFAULT_PRICES, findPrice, type ModelPrice, type PriceTable } from "../agent/prices";
import {
  EFFORT_SETTINGS,
  MAX_OUTPUT_TOKENS_CAP,
  effortHint,
  outputTokensPerTurn,
  reasoningRequest,
  type EffortSetting,
} from "../agent/reasoning";
import {
  APPROVAL_MODES,
  AUTO_APPROVE_RULES,
  DEFAULT_APPROVAL_TIMEOUT_SECONDS,
  MAX_APPROVAL_TIMEOUT_SECONDS,
  type ApprovalSetting,
} from "../domain/approval";
import { choosePolicy } from "../domain/policy/choice";
import { POLICY_PRESETS, type CommandPolicy } from "../domain/policy/judge";
import { parseRules } from "../domain/policy/rules";

export { PROVIDER_PRESETS, findPrice };
export { EFFORT_SETTINGS, effortHint, outputTokensPerTurn, reasoningRequest, type EffortSetting };

/** NOTE: bump when the saved shape changes, and read the old one in `readSettings`. */
export const SETTINGS_VERSION = 1;
export const SETTINGS_STORAGE_KEY = "opslab.settings";
/** Keys are saved apart from the settings, one per provider preset, and only when the person asks. */
export const KEY_STORAGE_PREFIX = "opslab.apiKey.";
/** The largest caps a person may set (0 means no cap). */
export const MAX_STEPS_CAP = 500;
export const MAX_TOKENS_CAP = 1_000_000_000;
export const MAX_COST_CAP_USD = 10_000;
export const MAX_PRICE_USD_PER_MTOK = 10_000;

/** A base URL the providers can be called at: empty (not set yet) or http(s), without a key in it. */
function isEndpointUrl(text: string): boolean {
  if (text === "") return true;
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && !url.username && !url.password && !url.search;
  } catch {
    return false;
  }
}

/** Rules that each read as a rule; the first that does not is refused with why. */
const policyRules = z.array(z.string()).superRefine((rules, context) => {
  const read = parseRules(rules);
  if ("error" in read) context.addIssue({ code: "custom", message: read.error });
});

const price = z
  .number({ error: "a number" })
  .min(0, "0 (free) or more")
  .max(MAX_PRICE_USD_PER_MTOK, `at most ${MAX_PRICE_USD_PER_MTOK.toLocaleString("en-US")}`);

/**
 * Each setting's schema, with a message that says what it takes. NOTE: the one check of a setting,
 * used as a value is typed (Settings), before it is saved, and on load.
 */
const SETTING_SCHEMAS = {
  presetId: z.string(),
  kind: z.enum(["openai", "anthropic", "openai-compatible"]),
  baseUrl: z
    .string()
    .refine(
      isEndpointUrl,
      "a URL that starts with https:// or http://, with no key or query in it",
    ),
  model: z.string(),
  toolMode: z.enum(["native", "text"]),
  /** The reasoning effort asked of the model; "off" asks for none. */
  effort: z.enum(EFFORT_SETTINGS as [EffortSetting, ...EffortSetting[]]),
  /** Output tokens one turn may use; 0 fits it to the model. */
  maxOutputTokensPerTurn: z
    .number({ error: "a number" })
    .int("a whole number of tokens")
    .min(0, "0 (fit to the model) or more")
    .max(MAX_OUTPUT_TOKENS_CAP, `at most ${MAX_OUTPUT_TOKENS_CAP.toLocaleString("en-US")}`),
  /** Caps on top of each task's own limits; 0 means no cap. */
  maxSteps: z
    .number({ error: "a number" })
    .int("a whole number of steps")
    .min(0, "0 (the task's own) or more")
    .max(MAX_STEPS_CAP, `at most ${MAX_STEPS_CAP}`),
  maxTokens: z
    .number({ error: "a number" })
    .int("a whole number of tokens")
    .min(0, "0 (no cap) or more")
    .max(MAX_TOKENS_CAP, `at most ${MAX_TOKENS_CAP.toLocaleString("en-US")}`),
  maxCostUsd: z
    .number({ error: "a number" })
    .min(0, "0 (no cap) or more")
    .max(MAX_COST_CAP_USD, `at most ${MAX_COST_CAP_USD.toLocaleString("en-US")} dollars`),
  stopOnWarning: z.boolean(),
  /** The command policy of the next run, and the person's own rules (one per entry; see rules.ts). */
  policy: z.enum(POLICY_PRESETS),
  policyAllow: policyRules,
  policyDeny: policyRules,
  /** Approval mode of the next run: which calls wait for the person, what a rule approves, for how long. */
  approval: z.enum(APPROVAL_MODES),
  approvalAuto: z.array(z.enum(AUTO_APPROVE_RULES)),
  approvalTimeoutSeconds: z
    .number({ error: "a number" })
    .int("a whole number of seconds")
    .min(0, "0 (wait forever) or more")
    .max(MAX_APPROVAL_TIMEOUT_SECONDS, `at most ${MAX_APPROVAL_TIMEOUT_SECONDS} seconds`),
  rememberKey: z.boolean(),
  /** Prices the person set, by model: dollars per million tokens. */
  prices: z.record(
    z.string(),
    z.object(
      { inputUsdPerMTok: price, outputUsdPerMTok: price },
      { error: "an input and an output price" },
    ),
  ),
};
export type SettingField = keyof typeof SETTING_SCHEMAS;
export type Settings = { version: typeof SETTINGS_VERSION } & {
  [F in SettingField]: z.infer<(typeof SETTING_SCHEMAS)[F]>;
};
/** What is wrong with each refused setting, by field. */
export type SettingErrors = Partial<Record<SettingField, string>>;

/** Each setting as Settings names it, for notices. */
const SETTING_LABELS: Record<SettingField, string> = {
  presetId: "Provider",
  kind: "Provider kind",
  baseUrl: "Base URL",
  model: "Model",
  toolMode: "Tool calling",
  effort: "Reasoning effort",
  maxOutputTokensPerTurn: "Max output per turn",
  maxSteps: "Max steps",
  maxTokens: "Max tokens",
  maxCostUsd: "Max cost",
  stopOnWarning: "Stop at the first failure warning",
  policy: "Command policy",
  policyAllow: "Allow rules",
  policyDeny: "Deny rules",
  approval: "Approval mode",
  approvalAuto: "Approve without asking",
  approvalTimeoutSeconds: "Approval time-out",
  rememberKey: "Remember my keys",
  prices: "Prices",
};
const SETTING_FIELDS = Object.keys(SETTING_SCHEMAS) as SettingField[];

/** Checks each setting in `patch`; an empty object when every value may be saved. */
export function checkSettings(patch: Partial<Omit<Settings, "version">>): SettingErrors {
  const errors: SettingErrors = {};
  for (const field of SETTING_FIELDS) {
    if (!(field in patch)) continue;
    const result = SETTING_SCHEMAS[field].safeParse(patch[field]);
    if (!result.success) errors[field] = result.error.issues[0]?.message ?? "not a valid value";
  }
  return errors;
}

/** The saving place for settings (localStorage in the page, a map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Every key stored. */
  keys(): string[];
}

const DEFAULT_PRESET = PROVIDER_PRESETS[0]!;
export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  presetId: DEFAULT_PRESET.id,
  kind: DEFAULT_PRESET.kind,
  baseUrl: DEFAULT_PRESET.baseUrl,
  model: DEFAULT_PRESET.defaultModel,
  toolMode: "native",
  effort: "off",
  maxOutputTokensPerTurn: 0,
  maxSteps: 0,
  maxTokens: 200_000,
  maxCostUsd: 1,
  stopOnWarning: false,
  policy: "none",
  policyAllow: [],
  policyDeny: [],
  approval: "off",
  approvalAuto: [],
  approvalTimeoutSeconds: DEFAULT_APPROVAL_TIMEOUT_SECONDS,
  rememberKey: false,
  prices: {},
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The saved prices that are valid; the models of the others go into `reset`. */
function readPrices(raw: unknown, reset: string[]): Settings["prices"] {
  if (!isObject(raw)) {
    reset.push("Prices (it must be a price per model)");
    return {};
  }
  const prices: Settings["prices"] = {};
  for (const [model, value] of Object.entries(raw)) {
    const one = SETTING_SCHEMAS.prices.safeParse({ [model]: value });
    if (one.success) Object.assign(prices, one.data);
    else reset.push(`the price of ${model} (it must be ${one.error.issues[0]?.message})`);
  }
  return prices;
}

/**
 * Reads saved settings field by field: a bad value is reset to its default and named in the notice,
 * every good one is kept; anything unreadable gives the defaults and a notice, never a crash.
 */
export function readSettings(storage: KeyValueStorage): { settings: Settings; notice?: string } {
  const text = storage.getItem(SETTINGS_STORAGE_KEY);
  if (text === null) return { settings: DEFAULT_SETTINGS };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  if (!isObject(raw)) {
    return {
      settings: DEFAULT_SETTINGS,
      notice: "Saved settings were corrupt; the defaults are in use.",
    };
  }
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const reset: string[] = [];
  for (const field of SETTING_FIELDS) {
    if (!(field in raw)) continue; // saved before the setting existed: its default
    if (field === "prices") {
      settings.prices = readPrices(raw.prices, reset);
      continue;
    }
    const result = SETTING_SCHEMAS[field].safeParse(raw[field]);
    if (result.success) settings[field] = result.data;
    else reset.push(`${SETTING_LABELS[field]} (it must be ${result.error.issues[0]?.message})`);
  }
  return {
    settings: settings as Settings,
    ...(reset.length && {
      notice: `Saved settings had values OpsLab cannot use, reset to their defaults: ${reset.join("; ")}. Every other setting is kept.`,
    }),
  };
}

export interface SettingsState {
  settings: Settings;
  /** The API key of the current preset, in memory. */
  apiKey: string;
  notice: string | undefined;
  /**
   * Saves the settings in `patch` when every one is valid; otherwise saves nothing and says what is
   * wrong with each refused one. Unticking `rememberKey` forgets every saved key, of every provider.
   */
  update(patch: Partial<Omit<Settings, "version">>): SettingErrors;
  choosePreset(preset: ProviderPreset): void;
  setApiKey(key: string): void;
  providerConfig(): ProviderConfig;
  /** The command policy of the next run (undefined: none, no rules). */
  commandPolicy(): CommandPolicy | undefined;
  /** The approval setting of the next run (undefined: off). */
  approvalSetting(): ApprovalSetting | undefined;
  /** The price list in use: the defaults with the person's own prices over them. */
  prices(): PriceTable;
  /** Sets the price of a model (dollars per million tokens); a bad price is refused as `update` does. */
  setPrice(model: string, price: ModelPrice): SettingErrors;
  /** The presets whose key is saved on this device. */
  savedKeyPresets(): string[];
  /** The person has read the notice: it goes, and settings repaired on load are saved as they are. */
  dismissNotice(): void;
}

export function createSettingsStore(storage: KeyValueStorage): StoreApi<SettingsState> {
  const { settings, notice } = readSettings(storage);
  const keys = new Map<string, string>();
  const savedKey = (presetId: string) => storage.getItem(KEY_STORAGE_PREFIX + presetId) ?? "";
  const savedKeyNames = () => storage.keys().filter((k) => k.startsWith(KEY_STORAGE_PREFIX));
  /** NOTE: every provider's saved key, not only the current one's: "don't remember" means none is kept. */
  const forgetSavedKeys = () => savedKeyNames().forEach((k) => storage.removeItem(k));

  const persist = (next: Settings, key: string) => {
    storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(next));
    // NOTE: the key is written only when the person ticked "remember".
    if (next.rememberKey && key) storage.setItem(KEY_STORAGE_PREFIX + next.presetId, key);
    else if (next.rememberKey) storage.removeItem(KEY_STORAGE_PREFIX + next.presetId);
    else forgetSavedKeys();
  };
  // Keys left behind while "remember" was off (older versions forgot only the current provider's).
  if (!settings.rememberKey) forgetSavedKeys();

  return createStore<SettingsState>()((set, get) => ({
    settings,
    apiKey: settings.rememberKey ? savedKey(settings.presetId) : "",
    notice,
    update(patch) {
      const errors = checkSettings(patch);
      if (Object.keys(errors).length > 0) return errors;
      const next = { ...get().settings, ...patch };
      persist(next, get().apiKey);
      set({ settings: next, notice: undefined });
      return {};
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
        // NOTE: each preset starts with no reasoning asked: its default model may not take it.
        effort: "off",
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
      return get().update({ prices: { ...get().settings.prices, [model]: price } });
    },
    dismissNotice() {
      if (get().notice === undefined) return;
      persist(get().settings, get().apiKey);
      set({ notice: undefined });
    },
    savedKeyPresets() {
      return savedKeyNames().map((k) => k.slice(KEY_STORAGE_PREFIX.length));
    },
    commandPolicy() {
      const { policy, policyAllow, policyDeny } = get().settings;
      const chosen = choosePolicy(policy, policyAllow, policyDeny);
      // NOTE: saved rules were checked as typed and on load; should they not read, the preset alone
      // holds (never no policy at all).
      return "policy" in chosen ? chosen.policy : { preset: policy };
    },
    approvalSetting() {
      const { approval, approvalAuto, approvalTimeoutSeconds } = get().settings;
      if (approval === "off") return undefined;
      return { mode: approval, autoApprove: approvalAuto, timeoutSeconds: approvalTimeoutSeconds };
    },
    providerConfig() {
      const { kind, baseUrl, model, toolMode, effort, maxOutputTokensPerTurn } = get().settings;
      return { kind, baseUrl, model, toolMode, effort, maxOutputTokensPerTurn };
    },
  }));
}
