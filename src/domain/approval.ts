// Approval mode: which of the agent's calls wait for a person (every one, or only what the policy cannot judge), the rules that approve on their own, and how each decision is recorded and told.
import type { CommandPolicy, PolicyDecision } from "./policy/judge";
import { parseRules, ruleMatches } from "./policy/rules";
import { mayChangeMachine } from "./shell/read-only";
import { splitCommand } from "./shell/reader";
import type { ToolInput } from "./run";

/** Off (nobody asked), every command and file write, or only the calls the policy cannot judge. */
export const APPROVAL_MODES = ["off", "every", "unjudged"] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** Rules that approve a call without asking: it only reads, or the policy's own allow rules match it. */
export const AUTO_APPROVE_RULES = ["read-only", "policy-allow"] as const;
export type AutoApproveRule = (typeof AUTO_APPROVE_RULES)[number];

/** Seconds a call waits for a person before it is rejected, unless the person sets another. */
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 120;
/** The longest time-out a person may set, in seconds (a day); 0 waits forever. */
export const MAX_APPROVAL_TIMEOUT_SECONDS = 86_400;

/** A run's approval setting, kept in its limits like the command policy. */
export interface ApprovalSetting {
  mode: Exclude<ApprovalMode, "off">;
  /** Rules that approve a call without asking (never a call the policy cannot judge). */
  autoApprove: AutoApproveRule[];
  /** Seconds a call waits before it is rejected; 0 waits forever. */
  timeoutSeconds: number;
}

/** A call the agent may make to the machine: the ones a person approves. */
export type MachineInput = Extract<ToolInput, { tool: "run_command" | "write_file" }>;

/** Why a call waits for the person: every call does, or the policy cannot judge it (and why). */
export type AskedBecause =
  { because: "every" } | { because: "unjudged"; part: string; reason: string };

/** What a person is asked about: one call, why, and how long they have. */
export interface ApprovalRequest {
  step: number;
  callId: string;
  input: MachineInput;
  asked: AskedBecause;
  /** Seconds before the call is rejected; 0 waits forever. */
  timeoutSeconds: number;
}

/** A person's answer: run it, run this instead (a new command line or file text), or not at all. */
export type ApprovalAnswer =
  | { decision: "approve" }
  | { decision: "edit"; text: string }
  | { decision: "reject"; message?: string };

/** Asks a person about a call; `signal` aborts when the answer is no longer wanted (stop, time-out). */
export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalAnswer>;

export const APPROVAL_DECISIONS = ["approved", "edited", "rejected", "timed-out"] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** Who decided a call: the person, a rule, or the time-out. */
export const APPROVAL_DECIDERS = ["person", "rule", "time-out"] as const;
export type ApprovalDecider = (typeof APPROVAL_DECIDERS)[number];

/** The record of one call's approval (the "approval" run event, without its time). */
export interface ApprovalRecord {
  step: number;
  callId: string;
  decision: ApprovalDecision;
  by: ApprovalDecider;
  /** The rule that approved the call, when a rule did. */
  rule?: AutoApproveRule;
  /** Why the person was asked; absent when a rule decided. */
  asked?: AskedBecause;
  /** The call as the agent asked for it. */
  input: MachineInput;
  /** What ran instead, when the person edited the call. */
  edited?: MachineInput;
  /** The person's message to the agent with a rejection. */
  message?: string;
  /** How long the call waited for the person, in milliseconds. */
  waitedMs: number;
}

/** What to do with a call under the run's approval setting, given the policy's verdict on it. */
export type ApprovalNeed =
  | { need: "none" }
  | { need: "rule"; rule: AutoApproveRule }
  | { need: "person"; asked: AskedBecause };

/** Whether the policy's own allow rules match the whole call (every simple command in the line). */
function policyAllows(policy: CommandPolicy | undefined, input: MachineInput): boolean {
  const rules = parseRules(policy?.allow ?? []);
  if ("error" in rules || rules.length === 0) return false;
  if (input.tool === "write_file")
    return rules.some((rule) => ruleMatches(rule, "write_file", [input.path]));
  // NOTE: text built as the line runs ($( ), backquotes) is never matched by a rule.
  if (/[`]|\$\(|<\(|>\(/.test(input.command)) return false;
  const commands = splitCommand(input.command);
  return (
    commands.length > 0 &&
    commands.every((c) => rules.some((rule) => ruleMatches(rule, c.program, c.args)))
  );
}

/**
 * Who decides a call the policy did not refuse. NOTE: a call the policy cannot judge always goes
 * to the person (no rule approves it); with mode "unjudged", every other call runs unasked.
 */
export function approvalNeed(
  setting: ApprovalSetting,
  policy: CommandPolicy | undefined,
  verdict: PolicyDecision,
  input: MachineInput,
): ApprovalNeed {
  if (verdict.decision === "ask")
    return {
      need: "person",
      asked: { because: "unjudged", part: verdict.part, reason: verdict.reason },
    };
  if (setting.mode === "unjudged") return { need: "none" };
  for (const rule of setting.autoApprove) {
    if (rule === "read-only" && input.tool === "run_command" && !mayChangeMachine(input))
      return { need: "rule", rule };
    if (rule === "policy-allow" && policyAllows(policy, input)) return { need: "rule", rule };
  }
  return { need: "person", asked: { because: "every" } };
}

/** The call with the person's text in place of the agent's (the command line, or the file's text). */
export function editedInput(input: MachineInput, text: string): MachineInput {
  return input.tool === "run_command"
    ? {
        tool: "run_command",
        command: text,
        ...(input.timeoutSeconds && { timeoutSeconds: input.timeoutSeconds }),
      }
    : { tool: "write_file", path: input.path, content: text };
}

/** The person's text of a call: its command line, or the file's text. */
export const inputText = (input: MachineInput): string =>
  input.tool === "run_command" ? input.command : input.content;

/** What the model reads before the result of a call the person edited: that it was changed, and to what. */
export function editNote(input: MachineInput, edited: MachineInput): string {
  if (input.tool === "run_command" && edited.tool === "run_command")
    return `The person supervising you changed your command before it ran. You asked for: \`${input.command}\`. What ran instead: \`${edited.command}\`. Its result:`;
  const path = edited.tool === "write_file" ? edited.path : "";
  return `The person supervising you changed the text you asked to write to ${path} before it was written; what was written instead is:\n${inputText(edited)}\nThe result:`;
}

/** What the model reads of a call the person rejected: nothing ran, and their message. */
export function rejectionText(message: string | undefined): string {
  const said = message?.trim() ? ` Their message: ${message.trim()}` : " They left no message.";
  return `The person supervising you rejected this call; nothing was run.${said}`;
}

/** What the model reads of a call nobody answered in time. */
export function timedOutText(seconds: number): string {
  return `No person approved this call within ${seconds} s, so it was rejected; nothing was run. Try another way, or finish if the task cannot go on.`;
}

/** A decision in a few words, for the timeline, the replay and the CLI ("edited: a → b"). */
export function describeApproval(
  record: Pick<ApprovalRecord, "decision" | "by" | "rule" | "input" | "edited" | "message">,
): string {
  switch (record.decision) {
    case "approved":
      return record.by === "rule" ? `approved by rule: ${record.rule ?? "?"}` : "approved by you";
    case "edited":
      return `edited: ${inputText(record.input)} → ${record.edited ? inputText(record.edited) : "?"}`;
    case "rejected":
      return record.message?.trim()
        ? `rejected: ${record.message.trim()}`
        : "rejected (no message)";
    case "timed-out":
      return "timed out: nobody answered, rejected";
  }
}

/** The setting in a few words, for History and the CLI: "every command, auto: read-only, 120 s". */
export function describeApprovalSetting(setting: ApprovalSetting | undefined): string {
  if (!setting) return "off";
  const mode = setting.mode === "every" ? "every command" : "only what the policy cannot judge";
  const rules =
    setting.autoApprove.length > 0 ? `, auto-approve: ${setting.autoApprove.join(", ")}` : "";
  const wait = setting.timeoutSeconds > 0 ? `${setting.timeoutSeconds} s time-out` : "no time-out";
  return `${mode}${rules}, ${wait}`;
}

/** Whether a time-out in seconds is one a setting may hold; null when it is, else why not. */
export function approvalTimeoutError(seconds: number): string | null {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_APPROVAL_TIMEOUT_SECONDS)
    return `The approval time-out is 0 (wait forever) to ${MAX_APPROVAL_TIMEOUT_SECONDS} seconds; ${seconds} is not.`;
  return null;
}
