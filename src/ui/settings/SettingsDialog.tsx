// Settings: provider, base URL, model (listed from the endpoint), API key, tool mode and limits.
import {
  EFFORT_SETTINGS,
  effortHint,
  outputTokensPerTurn,
  reasoningRequest,
  type EffortSetting,
} from "../../state/settings-store";
import { useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import {
  PROVIDER_PRESETS,
  findPrice,
  type SettingField,
  type SettingsState,
} from "../../state/settings-store";
import { CheckedInput } from "./CheckedInput";

/** A number as typed; an empty field is no number (the schema says what it takes). */
const typedNumber = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

const EFFORT_LABELS: Record<EffortSetting, string> = {
  off: "Off (none asked)",
  minimal: "Minimal (GPT-5 models; others: the least)",
  low: "Low",
  medium: "Medium",
  high: "High",
};

/** Saves one setting from its typed text; returns why it was refused. */
const saveField =
  <F extends SettingField>(
    store: StoreApi<SettingsState>,
    field: F,
    read: (text: string) => unknown,
  ) =>
  (text: string) =>
    store.getState().update({ [field]: read(text) })[field];

export function SettingsDialog({
  store,
  open,
  onClose,
  listModels,
}: {
  store: StoreApi<SettingsState>;
  open: boolean;
  onClose: () => void;
  /** Fetches the endpoint's model ids; rejects with a message saying what to fix. */
  listModels: () => Promise<string[]>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const notice = useStore(store, (s) => s.notice);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="settings"
      onClose={() => {
        store.getState().dismissNotice();
        onClose();
      }}
      aria-labelledby="settings-title"
    >
      <form method="dialog">
        <h2 id="settings-title">Settings</h2>
        {notice && <p className="warning">{notice}</p>}
        <fieldset>
          <legend>Model provider</legend>
          <EndpointFields store={store} listModels={listModels} />
          <KeyFields store={store} />
          <ReplyFields store={store} />
        </fieldset>
        <fieldset>
          <legend>Limits per run (0: the task's own / none)</legend>
          <LimitFields store={store} />
        </fieldset>
        <footer>
          <button type="submit" className="primary">
            Done
          </button>
        </footer>
      </form>
    </dialog>
  );
}

/** The provider, its base URL and the model, which the endpoint can list. */
function EndpointFields({
  store,
  listModels,
}: {
  store: StoreApi<SettingsState>;
  listModels: () => Promise<string[]>;
}) {
  const settings = useStore(store, (s) => s.settings);
  const { update, choosePreset } = store.getState();
  const [models, setModels] = useState<string[]>([]);
  const [modelsNote, setModelsNote] = useState("");
  const preset = PROVIDER_PRESETS.find((p) => p.id === settings.presetId);

  const fetchModels = async () => {
    setModelsNote("Fetching models…");
    try {
      const ids = await listModels();
      setModels(ids);
      setModelsNote(ids.length ? `${ids.length} models` : "This endpoint offers no model list.");
    } catch (error) {
      setModelsNote((error as Error).message);
    }
  };

  return (
    <>
      <label>
        Provider
        <select
          value={settings.presetId}
          onChange={(e) => {
            const next = PROVIDER_PRESETS.find((p) => p.id === e.target.value);
            if (next) choosePreset(next);
            setModels([]);
            setModelsNote("");
          }}
        >
          {PROVIDER_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <CheckedInput
        id="settings-base-url"
        label="Base URL"
        type="url"
        value={settings.baseUrl}
        placeholder="https://…/v1"
        save={saveField(store, "baseUrl", (text) => text.trim())}
      />
      {preset?.browserNote && <p className="muted">{preset.browserNote}</p>}
      <div className="field">
        <label htmlFor="settings-model">Model</label>
        <span className="inline">
          <input
            id="settings-model"
            list="model-ids"
            value={settings.model}
            onChange={(e) => update({ model: e.target.value })}
          />
          <button type="button" onClick={() => void fetchModels()}>
            List models
          </button>
        </span>
        <datalist id="model-ids">
          {models.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </div>
      {modelsNote && <p className="muted">{modelsNote}</p>}
    </>
  );
}

/** The API key, and whether keys are remembered on this device (with the providers whose are). */
function KeyFields({ store }: { store: StoreApi<SettingsState> }) {
  const settings = useStore(store, (s) => s.settings);
  const apiKey = useStore(store, (s) => s.apiKey);
  const { update, setApiKey, savedKeyPresets } = store.getState();
  const savedKeys = savedKeyPresets().map(
    (id) => PROVIDER_PRESETS.find((p) => p.id === id)?.label ?? id,
  );
  return (
    <>
      <label>
        API key
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          placeholder={
            settings.kind === "openai-compatible" ? "(none needed for local servers)" : "sk-…"
          }
          onChange={(e) => setApiKey(e.target.value.trim())}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.rememberKey}
          aria-describedby="settings-remember-note"
          onChange={(e) => update({ rememberKey: e.target.checked })}
        />
        Remember my keys on this device
      </label>
      <p className="muted" id="settings-remember-note" data-testid="saved-keys">
        Ticked, each provider&apos;s key is saved in this browser&apos;s local storage; otherwise a
        key is forgotten when the tab closes. Unticking forgets every saved key, of every provider
        (the keys typed in this tab last until it closes).
        {settings.rememberKey &&
          (savedKeys.length
            ? ` Saved on this device: ${savedKeys.join(", ")}.`
            : " No key is saved on this device yet.")}
      </p>
    </>
  );
}

/** How the model is asked: tool calling, reasoning effort, and the output allowed per turn. */
function ReplyFields({ store }: { store: StoreApi<SettingsState> }) {
  const settings = useStore(store, (s) => s.settings);
  const { update } = store.getState();
  return (
    <>
      <label>
        Tool calling
        <select
          value={settings.toolMode}
          onChange={(e) => update({ toolMode: e.target.value as "native" | "text" })}
        >
          <option value="native">Native tool calls</option>
          <option value="text">Plain text (one fenced command per reply)</option>
        </select>
      </label>
      <label>
        Reasoning effort
        <select
          value={settings.effort}
          aria-describedby="settings-effort-note"
          data-testid="settings-effort"
          onChange={(e) => update({ effort: e.target.value as EffortSetting })}
        >
          {EFFORT_SETTINGS.map((effort) => (
            <option key={effort} value={effort}>
              {EFFORT_LABELS[effort]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" id="settings-effort-note" data-testid="settings-effort-note">
        {effortHint(settings.kind, settings.model, settings.effort)}
      </p>
      <CheckedInput
        id="settings-max-output"
        label="Max output per turn (tokens; 0 fits it to the model)"
        type="number"
        min={0}
        step={1024}
        value={settings.maxOutputTokensPerTurn}
        save={saveField(store, "maxOutputTokensPerTurn", typedNumber)}
      />
      {settings.maxOutputTokensPerTurn === 0 && (
        <p className="muted">
          Now{" "}
          {outputTokensPerTurn(
            settings.kind,
            settings.model,
            reasoningRequest(settings.kind, settings.model, settings.effort),
          ).toLocaleString("en-US")}{" "}
          tokens a turn, thinking included.
        </p>
      )}
    </>
  );
}

/** A run's caps (steps, tokens, cost), the model's price the cost is counted at, stopping at a warning. */
function LimitFields({ store }: { store: StoreApi<SettingsState> }) {
  const settings = useStore(store, (s) => s.settings);
  const { update } = store.getState();
  return (
    <>
      <CheckedInput
        id="settings-max-steps"
        label="Max steps"
        type="number"
        min={0}
        value={settings.maxSteps}
        save={saveField(store, "maxSteps", typedNumber)}
      />
      <CheckedInput
        id="settings-max-tokens"
        label="Max tokens"
        type="number"
        min={0}
        step={1000}
        value={settings.maxTokens}
        save={saveField(store, "maxTokens", typedNumber)}
      />
      <CheckedInput
        id="settings-max-cost"
        label="Max cost ($)"
        type="number"
        min={0}
        step={0.1}
        value={settings.maxCostUsd}
        save={saveField(store, "maxCostUsd", typedNumber)}
      />
      <PriceField store={store} />
      <label className="check">
        <input
          type="checkbox"
          checked={settings.stopOnWarning}
          onChange={(e) => update({ stopOnWarning: e.target.checked })}
        />
        Stop the run at the first failure warning (repeated command, ping-pong, …)
      </label>
    </>
  );
}

/** The chosen model's input and output price ($ per million tokens), as known or typed. */
function PriceField({ store }: { store: StoreApi<SettingsState> }) {
  const model = useStore(store, (s) => s.settings.model);
  useStore(store, (s) => s.settings.prices);
  const { setPrice } = store.getState();
  const price = findPrice(model, store.getState().prices());
  return (
    <div className="field">
      <span>Price of {model || "the model"} ($ per million tokens)</span>
      <span className="inline">
        <CheckedInput
          id="settings-input-price"
          label="input"
          type="number"
          min={0}
          step={0.01}
          aria-label="Input price"
          value={price?.inputUsdPerMTok ?? ""}
          placeholder="unknown"
          save={(text) =>
            setPrice(model, {
              inputUsdPerMTok: typedNumber(text),
              outputUsdPerMTok: price?.outputUsdPerMTok ?? 0,
            }).prices
          }
        />
        <CheckedInput
          id="settings-output-price"
          label="output"
          type="number"
          min={0}
          step={0.01}
          aria-label="Output price"
          value={price?.outputUsdPerMTok ?? ""}
          placeholder="unknown"
          save={(text) =>
            setPrice(model, {
              inputUsdPerMTok: price?.inputUsdPerMTok ?? 0,
              outputUsdPerMTok: typedNumber(text),
            }).prices
          }
        />
      </span>
      {!price && (
        <span className="muted">No price known: the cost limit cannot apply to this model.</span>
      )}
    </div>
  );
}
