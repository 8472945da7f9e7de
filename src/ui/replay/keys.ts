// The replay's keyboard: which key does what, and when the page's keys are left alone (typing, a focused control).
export type KeyAction = "toggle" | "back" | "forward" | "start" | "end";

const ACTIONS: Readonly<Record<string, KeyAction>> = {
  " ": "toggle",
  ArrowLeft: "back",
  ArrowRight: "forward",
  Home: "start",
  End: "end",
};

/** Elements whose own keys win: fields, and controls a key works (a focused button's space). */
const OWN_KEYS =
  "input, textarea, select, button, a[href], summary, [contenteditable], [role=slider]";

/** The key's parts the decision needs (a KeyboardEvent fits). */
export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
}

interface Matchable {
  closest?(selector: string): unknown;
  isContentEditable?: boolean;
}

/**
 * The replay action of a key press, or undefined when the replay must leave it alone: a modifier is
 * held, something handled it already, or it was typed into a field or a focused control.
 */
export function keyAction(press: KeyPress): KeyAction | undefined {
  if (press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) return undefined;
  if (press.defaultPrevented) return undefined;
  const action = ACTIONS[press.key];
  if (!action) return undefined;
  const target = press.target as Matchable | null;
  if (target?.isContentEditable) return undefined;
  if (typeof target?.closest === "function" && target.closest(OWN_KEYS)) return undefined;
  return action;
}
