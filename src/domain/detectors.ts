// Failure detectors over a run's actions (live in the agent loop, and over finished runs for labels): name what they see.
import type { LiveFailureLabel, ToolInput, ToolOutcome } from "./run";

/** One action the agent took and what came of it. */
export interface ActionRecord {
  step: number;
  input: ToolInput;
  outcome: ToolOutcome;
}

export interface DetectorWarning {
  label: LiveFailureLabel;
  steps: number[];
  message: string;
}

/** The same action with the same result this many times is a loop (tasks.md: 3+). */
export const REPEAT_THRESHOLD = 3;
/** Two actions alternating this many times without a change of result is ping-pong (tasks.md: 6+). */
export const PING_PONG_LENGTH = 6;

export const HALLUCINATED_FLAG =
  /(unrecognized|unrecognised|invalid|unknown|illegal) (option|flag|argument)|option requires an argument|^usage:/im;

function actionKey(input: ToolInput): string {
  switch (input.tool) {
    case "run_command":
      return `run:${input.command.trim().replace(/\s+/g, " ")}`;
    case "write_file":
      return `write:${input.path}:${input.content}`;
    case "finish":
      return "finish";
    case "invalid":
      return `invalid:${input.name}:${input.raw}`;
  }
}

/** Output without what changes at every run of the same command: dates, times of day, process ids ("92#92"). */
const volatile = (text: string) =>
  text
    .replace(/\d{4}[-/]\d\d[-/]\d\d/g, "D")
    .replace(/\d\d:\d\d:\d\d(?:[.,]\d+)?/g, "T")
    .replace(/\b\d+#\d+\b/g, "P");

/** What an action came to, without how long it took (a repeat takes another time) or when it ran. */
function resultKey(outcome: ToolOutcome): string {
  if (outcome.kind === "command")
    return `${outcome.exitCode}:${volatile(outcome.stdout)}:${volatile(outcome.stderr)}`;
  if (outcome.kind === "failed") return `failed:${outcome.message}`;
  return JSON.stringify(outcome);
}

/** What makes two actions "the same action with the same result". */
export const actionSignature = (action: ActionRecord) =>
  `${actionKey(action.input)}\u0000${resultKey(action.outcome)}`;

function shortCommand(input: ToolInput): string {
  const text = input.tool === "run_command" ? input.command : actionKey(input);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function repeated(history: ActionRecord[]): DetectorWarning | null {
  const last = history.at(-1);
  if (!last) return null;
  const same = history.filter((a) => actionSignature(a) === actionSignature(last));
  // NOTE: warn once per repeated action, when it reaches the threshold.
  if (same.length !== REPEAT_THRESHOLD) return null;
  return {
    label: "repeated-command",
    steps: same.map((a) => a.step),
    message: `The same action with the same result ${REPEAT_THRESHOLD} times: ${shortCommand(last.input)}`,
  };
}

function isPingPong(window: ActionRecord[]): boolean {
  if (window.length < PING_PONG_LENGTH) return false;
  const [a, b] = [actionSignature(window[0]!), actionSignature(window[1]!)];
  if (a === b) return false;
  return window.every((action, i) => actionSignature(action) === (i % 2 === 0 ? a : b));
}

function pingPong(history: ActionRecord[]): DetectorWarning | null {
  const window = history.slice(-PING_PONG_LENGTH);
  const before = history.slice(-PING_PONG_LENGTH - 1, -1);
  // NOTE: warn when the alternation first reaches the length, not at every further step.
  if (!isPingPong(window) || isPingPong(before)) return null;
  return {
    label: "ping-pong",
    steps: window.map((a) => a.step),
    message: `Two actions alternating ${PING_PONG_LENGTH} times without a change: ${shortCommand(window[0]!.input)} / ${shortCommand(window[1]!.input)}`,
  };
}

function fromOutcome(last: ActionRecord): DetectorWarning | null {
  const { outcome, input } = last;
  if (outcome.kind !== "command" || input.tool !== "run_command") return null;
  if (outcome.timedOut) {
    return {
      label: "hung-command",
      steps: [last.step],
      message: `The command hit its time limit (interactive or never-ending?): ${shortCommand(input)}`,
    };
  }
  const missing = /(?:^|\n)(?:bash: (?:line \d+: )?)?([^\s:]+): command not found/.exec(
    outcome.stderr,
  );
  if (outcome.exitCode === 127 && missing) {
    return {
      label: "hallucinated-command",
      steps: [last.step],
      message: `"${missing[1]}" is not a program on this system`,
    };
  }
  if (outcome.exitCode !== 0 && HALLUCINATED_FLAG.test(outcome.stderr)) {
    const line = outcome.stderr.split("\n").find((l) => HALLUCINATED_FLAG.test(l)) ?? "";
    return {
      label: "hallucinated-flag",
      steps: [last.step],
      message: `The program rejected an option: ${line.trim().slice(0, 120)}`,
    };
  }
  return null;
}

/** The warnings the latest action raises, given everything the agent did before it. */
export function detectFailures(history: ActionRecord[]): DetectorWarning[] {
  const last = history.at(-1);
  if (!last) return [];
  return [fromOutcome(last), repeated(history), pingPong(history)].filter(
    (w): w is DetectorWarning => w !== null,
  );
}
