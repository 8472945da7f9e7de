// A run as plain data: the agent's events in order, its limits, its outcome and grade; versioned.
import type { ApprovalRecord, ApprovalSetting } from "./approval";
import type { CommandPolicy } from "./policy/judge";
import { describeIssue, runRecordSchema } from "./run-schema";
import { verdictOf, type Grade, type TaskMeta, type Verdict } from "./task";
/**
 * NOTE: bump when the persisted shape of Run or RunEvent changes, and upgrade in restoreRun().
 * 2: a grade may carry its integrity report (Grade.integrity); version 1 records read as they are.
 * 3: a run may be a fork of another (RunRecord.forkedFrom); versions 1 and 2 read as they are.
 */
export const RUN_SCHEMA_VERSION = 3;

/** The failure modes of tasks.md that can be seen while the agent runs. */
export const LIVE_FAILURE_LABELS = [
  "repeated-command",
  "ping-pong",
  "hallucinated-command",
  "hallucinated-flag",
  "hung-command",
] as const;
export type LiveFailureLabel = (typeof LIVE_FAILURE_LABELS)[number];

/**
 * Limits a run can reach: the first four end it; "output" is one turn cut off at its output limit
 * (the run goes on).
 */
export const LIMIT_KINDS = ["steps", "time", "tokens", "cost", "output"] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

/** Why a run ended. */
export type StopReason =
  | "finished"
  | "limit"
  | "stopped"
  | "stuck"
  | "provider-error"
  | "vm-error"
  | "internal-error"
  | "no-action";

export interface RunLimits {
  maxSteps: number;
  maxSeconds: number;
  /** Input + output tokens over the whole run; 0 means no limit. */
  maxTokens: number;
  /** Dollars over the whole run; 0 means no limit. */
  maxCostUsd: number;
  /** Limit of each command the agent runs, unless it asks for less. */
  commandSeconds: number;
  /** What the agent may run (judged before each call); absent: anything, as before policies. */
  policy?: CommandPolicy;
  /** Which calls wait for a person (approval.ts); absent: none, as before approval mode. */
  approval?: ApprovalSetting;
}

/** What the agent asked a tool to do. */
export type ToolInput =
  | { tool: "run_command"; command: string; timeoutSeconds?: number }
  | { tool: "write_file"; path: string; content: string }
  | { tool: "finish"; summary: string }
  | { tool: "invalid"; name: string; raw: string; problem: string };

/** What a command did, kept for the timeline (outputs cut to RUN_OUTPUT_KEEP_CHARS). */
export interface CommandOutcome {
  kind: "command";
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** True when the output was cut, in the VM or for keeping. */
  truncated: boolean;
}

export type ToolOutcome =
  | CommandOutcome
  | { kind: "file-written"; path: string; bytes: number; durationMs: number }
  | { kind: "finished"; summary: string }
  | { kind: "rejected"; message: string }
  /** The run's command policy refused the call (or could not judge it): nothing ran in the VM. */
  | {
      kind: "refused";
      /** The simple command or path at fault. */
      part: string;
      reason: string;
      /** True when the policy could not judge the call (refused for want of a person to ask). */
      unjudged: boolean;
    }
  /** The tool ran and the guest refused it (a write to a directory, under a file, to a read-only place). */
  | { kind: "failed"; message: string; durationMs: number };

export type ProviderErrorKind =
  | "auth"
  | "rate-limit"
  | "server"
  | "network"
  | "blocked-by-browser"
  | "bad-request"
  | "bad-response";

export interface RunEventBase {
  /** Milliseconds since the run started. */
  atMs: number;
}

export type RunEvent = RunEventBase &
  (
    | { type: "started"; provider: string; model: string; limits: RunLimits; toolMode: ToolMode }
    | {
        type: "reasoning";
        step: number;
        /** The model's words; for "redacted-thinking", empty (the provider encrypted them). */
        text: string;
        /** Absent: the model's visible text. "thinking": its reasoning, shown apart and never sent as text. */
        kind?: "thinking" | "redacted-thinking";
      }
    | { type: "tool-call"; step: number; callId: string; input: ToolInput }
    | { type: "tool-result"; step: number; callId: string; outcome: ToolOutcome }
    /** Who decided a call under approval mode, before its result: the person, a rule or the time-out. */
    | ({ type: "approval" } & ApprovalRecord)
    | {
        type: "usage";
        step: number;
        inputTokens: number;
        outputTokens: number;
        totalTokens: number;
        /** Dollars so far; null when the model has no price. */
        costUsd: number | null;
        /**
         * Of the output tokens so far, those the model reasoned with, where the provider counts them
         * apart (OpenAI and most compatible servers; Anthropic counts thinking in output only).
         */
        reasoningTokens?: number;
      }
    | { type: "warning"; label: LiveFailureLabel; steps: number[]; message: string }
    | { type: "retry"; attempt: number; waitMs: number; message: string }
    | {
        type: "limit";
        limit: LimitKind;
        message: string;
        /** The step of a turn cut off at its output limit ("output"); absent for the others. */
        step?: number;
      }
    | { type: "error"; kind: ProviderErrorKind | "vm" | "internal"; message: string }
    | { type: "finished"; reason: StopReason; summary?: string }
    | {
        type: "setup";
        durationMs: number;
        /** True when the task's state after setup was restored rather than set up (optional: older runs lack it). */
        fromSavedState?: boolean;
        /** Bytes downloaded when the state was the one the site ships for the task (first visit). */
        shippedBytes?: number;
        /** Why the saved-state shortcut was not taken or kept, when it was not. */
        note?: string;
      }
    | { type: "graded"; grade: Grade }
    /** Cloud tasks: the control plane's state and audit log after the run, for the replay. */
    | { type: "cloud-state"; state: unknown }
  );

/** How the model calls tools: native tool calls, or one fenced command per reply. */
export type ToolMode = "native" | "text";

export type RunEventType = RunEvent["type"];

/** What a run came to, derived from its events. */
export interface RunOutcome {
  reason: StopReason | null;
  /** The grader's verdict; null when the run was not graded. */
  passed: boolean | null;
  /** Pass, fail, or tampered (the agent changed what grading relies on); null when not graded. */
  verdict: Verdict | null;
  steps: number;
  commands: number;
  totalTokens: number;
  costUsd: number | null;
  /** Of the tokens, those the model reasoned with, where the provider counted them apart. */
  reasoningTokens?: number;
  durationMs: number;
  warnings: number;
}

/** Where a forked run started: right after step `step` of run `runId` (its calls replayed on the readied task). */
export interface ForkOrigin {
  runId: string;
  /** The parent's step the fork carries on from (its calls 1..step were replayed). */
  step: number;
  /** The task folder's hash the fork was made with, when known (to tell a changed task). */
  taskHash?: string;
}

/** The reasoning efforts providers take (OpenAI's reasoning_effort; Anthropic's thinking budgets by name). */
export const REASONING_EFFORTS = ["minimal", "low", "medium", "high"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** The model a run used and how it was asked to work. */
export interface AgentInfo {
  provider: string;
  model: string;
  toolMode: ToolMode;
  /** The reasoning asked for; absent when none was (and in runs made before it was kept). */
  reasoning?: {
    effort: ReasoningEffort;
    /** Anthropic only: the tokens the model might think for in a turn. */
    thinkingBudgetTokens?: number;
  };
  /** Output tokens one turn might use (absent in runs made before it was kept: 4,096). */
  maxOutputTokensPerTurn?: number;
}

/** A stored run. NOTE: holds no API key: provider and model only. */
export interface RunRecord {
  schemaVersion: number;
  id: string;
  /** ISO 8601 time the run started. */
  createdAt: string;
  task: Pick<TaskMeta, "id" | "title" | "domain" | "difficulty">;
  agent: AgentInfo;
  limits: RunLimits;
  events: RunEvent[];
  outcome: RunOutcome;
  /** Set when the run carried on from a step of another run (schema 3). */
  forkedFrom?: ForkOrigin;
  /**
   * Set when the run is one side of a comparison (two models on one task). NOTE: optional and ignored by
   * older readers (their check drops fields it does not know), so no schema bump.
   */
  comparison?: { id: string; side: "left" | "right" };
}

export function summarizeEvents(events: readonly RunEvent[]): RunOutcome {
  const outcome: RunOutcome = {
    reason: null,
    passed: null,
    verdict: null,
    steps: 0,
    commands: 0,
    totalTokens: 0,
    costUsd: null,
    durationMs: 0,
    warnings: 0,
  };
  for (const event of events) {
    outcome.durationMs = Math.max(outcome.durationMs, event.atMs);
    switch (event.type) {
      case "usage":
        outcome.steps = Math.max(outcome.steps, event.step);
        outcome.totalTokens = event.totalTokens;
        outcome.costUsd = event.costUsd;
        if (event.reasoningTokens !== undefined) outcome.reasoningTokens = event.reasoningTokens;
        break;
      case "tool-call":
        if (event.input.tool === "run_command") outcome.commands++;
        break;
      case "warning":
        outcome.warnings++;
        break;
      case "finished":
        outcome.reason = event.reason;
        break;
      case "graded":
        outcome.passed = event.grade.passed;
        outcome.verdict = verdictOf(event.grade);
        break;
      default:
        break;
    }
  }
  return outcome;
}

export class RunFormatError extends Error {
  constructor(detail: string) {
    super(`This run record cannot be read (${detail}); it was made by another version or damaged.`);
    this.name = "RunFormatError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a stored or shared run, upgrading older versions. NOTE: every version ever written must
 * keep opening here; a newer one than this code knows is refused with a clear error.
 */
export function restoreRun(raw: unknown): RunRecord {
  if (!isObject(raw)) throw new RunFormatError("not an object");
  const version = raw.schemaVersion;
  if (typeof version !== "number") throw new RunFormatError("no schemaVersion");
  if (version > RUN_SCHEMA_VERSION) {
    throw new RunFormatError(
      `schema ${version} is newer than this OpsLab (${RUN_SCHEMA_VERSION}): reload the page`,
    );
  }
  // NOTE: checked deeply (run-schema.ts): a view may read any field without checking it again.
  const checked = runRecordSchema.safeParse(raw);
  if (!checked.success) throw new RunFormatError(describeIssue(raw, checked.error));
  const { schemaVersion, id, createdAt, task, agent, limits, forkedFrom, comparison } =
    checked.data;
  const events = checked.data.events as RunEvent[];
  const record: RunRecord = {
    schemaVersion,
    id,
    createdAt,
    task: task as RunRecord["task"],
    // NOTE: an effort this version does not know (a newer provider's) is kept and shown as text.
    agent: agent as AgentInfo,
    limits,
    events,
    outcome: summarizeEvents(events),
    ...(forkedFrom && { forkedFrom: forkedFrom as ForkOrigin }),
    ...(comparison && { comparison: { id: comparison.id, side: comparison.side } }),
  };
  // The outcome is derived data: recomputed above rather than trusted.
  return record;
}
