// Settings: provider, base URL, model (listed from the endpoint), API key, tool mode and limits.
import { useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import { PROVIDER_PRESETS, findPrice, type SettingsState } from "../../state/settings-store";

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
  const settings = useStore(store, (s) => s.settings);
  const apiKey = useStore(store, (s) => s.apiKey);
  const notice = useStore(store, (s) => s.notice);
  const { update, choosePreset, setApiKey, setPrice } = store.getState();
  useStore(store, (s) => s.settings.prices);
  const price = findPrice(settings.model, store.getState().prices());
  const [models, setModels] = useState<string[]>([]);
  const [modelsNote, setModelsNote] = useState("");
  const preset = PROVIDER_PRESETS.find((p) => p.id === settings.presetId);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

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

  const number = (value: string) => (value === "" ? 0 : Number(value));

  return (
    <dialog ref={dialog} className="settings" onClose={onClose} aria-labelledby="settings-title">
      <form method="dialog">
        <h2 id="settings-title">Settings</h2>
        {notice && <p className="warning">{notice}</p>}
        <fieldset>
          <legend>Model provider</legend>
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
          <label>
            Base URL
            <input
              type="url"
              value={settings.baseUrl}
              placeholder="https://…/v1"
              onChange={(e) => update({ baseUrl: e.target.value.trim() })}
            />
          </label>
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
              onChange={(e) => update({ rememberKey: e.target.checked })}
            />
            Remember the key on this device (saved in this browser's local storage; otherwise it is
            forgotten when the tab closes)
          </label>
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
        </fieldset>
        <fieldset>
          <legend>Limits per run (0: the task's own / none)</legend>
          <label>
            Max steps
            <input
              type="number"
              min={0}
              value={settings.maxSteps}
              onChange={(e) => update({ maxSteps: number(e.target.value) })}
            />
          </label>
          <label>
            Max tokens
            <input
              type="number"
              min={0}
              step={1000}
              value={settings.maxTokens}
              onChange={(e) => update({ maxTokens: number(e.target.value) })}
            />
          </label>
          <label>
            Max cost ($)
            <input
              type="number"
              min={0}
              step={0.1}
              value={settings.maxCostUsd}
              onChange={(e) => update({ maxCostUsd: number(e.target.value) })}
            />
          </label>
          <div className="field">
            <span>Price of {settings.model || "the model"} ($ per million tokens)</span>
            <span className="inline">
              <label>
                input
                <input
                  type="number"
                  min={0}
                  step={0.01}
                  aria-label="Input price"
                  value={price?.inputUsdPerMTok ?? ""}
                  placeholder="unknown"
                  onChange={(e) =>
                    setPrice(settings.model, {
                      inputUsdPerMTok: number(e.target.value),
                      outputUsdPerMTok: price?.outputUsdPerMTok ?? 0,
                    })
                  }
                />
              </label>
              <label>
                output
                <input
                  type="number"
                  min={0}
                  step={0.01}
                  aria-label="Output price"
                  value={price?.outputUsdPerMTok ?? ""}
                  placeholder="unknown"
                  onChange={(e) =>
                    setPrice(settings.model, {
                      inputUsdPerMTok: price?.inputUsdPerMTok ?? 0,
                      outputUsdPerMTok: number(e.target.value),
                    })
                  }
                />
              </label>
            </span>
            {!price && (
              <span className="muted">
                No price known: the cost limit cannot apply to this model.
              </span>
            )}
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={settings.stopOnWarning}
              onChange={(e) => update({ stopOnWarning: e.target.checked })}
            />
            Stop the run at the first failure warning (repeated command, ping-pong, …)
          </label>
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
