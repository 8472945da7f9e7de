// The Lab's choice of a command policy for the next run: a preset, and the person's own allow and deny rules, with their syntax; a bad rule is refused as typed.
import { useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { PolicyPreset } from "../../domain/policy/judge";
import { RULE_SYNTAX } from "../../domain/policy/rules";
import type { SettingsState } from "../../state/settings-store";

const PRESET_LABELS: Record<PolicyPreset, string> = {
  none: "Any command",
  "read-only": "Read-only (inspection commands only)",
  "no-destructive": "No destructive commands",
};

/** One list of rules, one a line: saved when every line reads, else what is wrong shows beside it. */
function RulesEditor({
  kind,
  rules,
  save,
  disabled,
}: {
  kind: "allow" | "deny";
  rules: string[];
  save: (rules: string[]) => string | undefined;
  disabled: boolean;
}) {
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<string>();
  const id = `policy-${kind}`;
  return (
    <span className="field policy-rules">
      <label htmlFor={id}>{kind === "allow" ? "Allow" : "Deny"} (one rule a line)</label>
      <textarea
        id={id}
        rows={3}
        spellCheck={false}
        disabled={disabled}
        value={draft ?? rules.join("\n")}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={id}
        onChange={(e) => {
          const text = e.target.value;
          const refused = save(text.split("\n"));
          setDraft(refused ? text : undefined);
          setError(refused);
        }}
      />
      {error && (
        <span id={`${id}-error`} className="field-error" aria-live="polite">
          Not saved: {error}
        </span>
      )}
    </span>
  );
}

export function PolicyPicker({
  settings,
  disabled,
}: {
  settings: StoreApi<SettingsState>;
  disabled: boolean;
}) {
  const preset = useStore(settings, (s) => s.settings.policy);
  const allow = useStore(settings, (s) => s.settings.policyAllow);
  const deny = useStore(settings, (s) => s.settings.policyDeny);
  const update = settings.getState().update;
  const saveRules = (field: "policyAllow" | "policyDeny") => (rules: string[]) =>
    update({ [field]: rules.filter((r) => r.trim() !== "") })[field];
  return (
    <div className="policy-picker">
      <label>
        Commands{" "}
        <select
          aria-label="Command policy"
          value={preset}
          disabled={disabled}
          onChange={(e) => update({ policy: e.target.value as PolicyPreset })}
        >
          {(Object.keys(PRESET_LABELS) as PolicyPreset[]).map((p) => (
            <option key={p} value={p}>
              {PRESET_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <details open={allow.length + deny.length > 0}>
        <summary>
          Own rules{allow.length + deny.length > 0 && ` (${allow.length + deny.length})`}
        </summary>
        <p className="muted">
          A rule is {RULE_SYNTAX}. Deny wins over allow; allow lets a command through whatever the
          preset says. A command the policy cannot judge (eval, a here-doc fed to a shell, ...) is
          refused.
        </p>
        <RulesEditor
          kind="allow"
          rules={allow}
          save={saveRules("policyAllow")}
          disabled={disabled}
        />
        <RulesEditor kind="deny" rules={deny} save={saveRules("policyDeny")} disabled={disabled} />
      </details>
    </div>
  );
}
