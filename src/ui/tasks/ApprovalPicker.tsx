// The Lab's choice of approval mode for the next run, beside the command policy: which calls wait for the person, what is approved without asking, and the time-out.
import { useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import {
  MAX_APPROVAL_TIMEOUT_SECONDS,
  type ApprovalMode,
  type AutoApproveRule,
} from "../../domain/approval";
import type { SettingsState } from "../../state/settings-store";

const MODE_LABELS: Record<ApprovalMode, string> = {
  off: "Off (the agent runs unasked)",
  every: "Ask me about every command",
  unjudged: "Ask me only what the policy cannot judge",
};

const RULE_LABELS: Record<AutoApproveRule, string> = {
  "read-only": "Approve read-only commands without asking",
  "policy-allow": "Approve what the policy's allow rules match",
};

export function ApprovalPicker({
  settings,
  disabled,
}: {
  settings: StoreApi<SettingsState>;
  disabled: boolean;
}) {
  const mode = useStore(settings, (s) => s.settings.approval);
  const auto = useStore(settings, (s) => s.settings.approvalAuto);
  const timeout = useStore(settings, (s) => s.settings.approvalTimeoutSeconds);
  const update = settings.getState().update;
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<string>();
  const toggle = (rule: AutoApproveRule, on: boolean) =>
    update({ approvalAuto: on ? [...auto, rule] : auto.filter((r) => r !== rule) });
  return (
    <div className="approval-picker">
      <label>
        Approval{" "}
        <select
          aria-label="Approval mode"
          data-testid="approval-mode"
          value={mode}
          disabled={disabled}
          onChange={(e) => update({ approval: e.target.value as ApprovalMode })}
        >
          {(Object.keys(MODE_LABELS) as ApprovalMode[]).map((m) => (
            <option key={m} value={m}>
              {MODE_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      {mode === "every" &&
        (Object.keys(RULE_LABELS) as AutoApproveRule[]).map((rule) => (
          <label key={rule} className="check">
            <input
              type="checkbox"
              checked={auto.includes(rule)}
              disabled={disabled}
              onChange={(e) => toggle(rule, e.target.checked)}
            />{" "}
            {RULE_LABELS[rule]}
          </label>
        ))}
      {mode !== "off" && (
        <span className="field">
          <label>
            Reject after{" "}
            <input
              type="number"
              min={0}
              max={MAX_APPROVAL_TIMEOUT_SECONDS}
              aria-label="Approval time-out in seconds"
              aria-invalid={error ? true : undefined}
              disabled={disabled}
              value={draft ?? String(timeout)}
              onChange={(e) => {
                const text = e.target.value;
                const refused = update({
                  approvalTimeoutSeconds: Number(text),
                }).approvalTimeoutSeconds;
                setDraft(refused ? text : undefined);
                setError(refused);
              }}
            />{" "}
            s (0: wait forever)
          </label>
          {error && (
            <span className="field-error" aria-live="polite">
              Not saved: {error}
            </span>
          )}
        </span>
      )}
    </div>
  );
}
