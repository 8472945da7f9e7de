// A settings field that saves what is typed only when it is valid, and otherwise says beside it why not.
import { useState, type InputHTMLAttributes, type ReactNode } from "react";

export interface CheckedInputProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "value" | "onChange" | "id"
> {
  id: string;
  /** The visible label; leave it out when `aria-label` names the field. */
  label?: ReactNode;
  /** The saved value. NOTE: numbers stay numbers, so React leaves a typed "1.50" alone. */
  value: string | number;
  /** Saves the typed text; returns why it was refused (nothing is saved then), or undefined. */
  save: (text: string) => string | undefined;
}

export function CheckedInput({ id, label, value, save, ...input }: CheckedInputProps) {
  // What was typed while it is refused; the saved value shows otherwise.
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<string>();
  const [shownValue, setShownValue] = useState(value);
  if (shownValue !== value) {
    // Saved from elsewhere (another preset chosen): what was typed and refused goes.
    setShownValue(value);
    setDraft(undefined);
    setError(undefined);
  }
  const errorId = `${id}-error`;
  return (
    <span className="field checked-field">
      {label !== undefined && <label htmlFor={id}>{label}</label>}
      <input
        {...input}
        id={id}
        value={draft ?? value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          const text = e.target.value;
          const refused = save(text);
          setDraft(refused ? text : undefined);
          setError(refused);
        }}
      />
      {error && (
        <span id={errorId} className="field-error" aria-live="polite" data-testid="field-error">
          Not saved: it must be {error}.
        </span>
      )}
    </span>
  );
}
