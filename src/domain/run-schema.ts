// The shape of a stored run checked deeply: every field a view reads (events by type, grade, limits, agent, task), so a damaged or foreign record is refused, never shown half.
import { z } from "zod";
import { APPROVAL_DECIDERS, APPROVAL_DECISIONS, AUTO_APPROVE_RULES } from "./approval";
import { POLICY_PRESETS } from "./policy/judge";

/** NOTE: fields a view does not read are kept as they are (loose objects), so nothing is lost on a round trip. */
const count = z.number().finite().nonnegative();
const text = z.string();

const limits = z.looseObject({
  maxSteps: count,
  maxSeconds: count,
  maxTokens: count,
  maxCostUsd: count,
  commandSeconds: count,
  // NOTE: absent in runs without a command policy (and in every run before policies).
  policy: z
    .looseObject({
      preset: z.enum(POLICY_PRESETS),
      allow: z.array(text).optional(),
      deny: z.array(text).optional(),
    })
    .optional(),
  // NOTE: absent in runs without approval mode (and in every run before it).
  approval: z
    .looseObject({
      mode: z.enum(["every", "unjudged"]),
      autoApprove: z.array(z.enum(AUTO_APPROVE_RULES)),
      timeoutSeconds: count,
    })
    .optional(),
});

const toolMode = z.enum(["native", "text"]);

const stopReason = z.enum([
  "finished",
  "limit",
  "stopped",
  "stuck",
  "provider-error",
  "vm-error",
  "internal-error",
  "no-action",
]);

const runCommandInput = z.looseObject({
  tool: z.literal("run_command"),
  command: text,
  timeoutSeconds: count.optional(),
});
const writeFileInput = z.looseObject({ tool: z.literal("write_file"), path: text, content: text });
const machineInput = z.discriminatedUnion("tool", [runCommandInput, writeFileInput]);

const toolInput = z.discriminatedUnion("tool", [
  runCommandInput,
  writeFileInput,
  z.looseObject({ tool: z.literal("finish"), summary: text }),
  z.looseObject({ tool: z.literal("invalid"), name: text, raw: text, problem: text }),
]);

const toolOutcome = z.discriminatedUnion("kind", [
  z.looseObject({
    kind: z.literal("command"),
    exitCode: z.number(),
    stdout: text,
    stderr: text,
    durationMs: count,
    timedOut: z.boolean(),
    truncated: z.boolean(),
  }),
  z.looseObject({ kind: z.literal("file-written"), path: text, bytes: count, durationMs: count }),
  z.looseObject({ kind: z.literal("finished"), summary: text }),
  z.looseObject({ kind: z.literal("rejected"), message: text }),
  z.looseObject({ kind: z.literal("refused"), part: text, reason: text, unjudged: z.boolean() }),
  z.looseObject({ kind: z.literal("failed"), message: text, durationMs: count }),
]);

const grade = z.looseObject({
  passed: z.boolean(),
  checks: z.array(z.looseObject({ passed: z.boolean(), text })),
  exitCode: z.number(),
  notes: z.array(text),
  // NOTE: absent in grades written before it was kept; no view reads it.
  durationMs: count.optional(),
  timedOut: z.literal(true).optional(),
  integrity: z
    .looseObject({
      ok: z.boolean(),
      findings: z.array(
        z.looseObject({ kind: z.enum(["file", "mount", "channel"]), where: text, detail: text }),
      ),
      stopped: z.array(text),
      durationMs: count,
    })
    .optional(),
});

const step = z.number().int().nonnegative();
const at = { atMs: count };

const runEvent = z.discriminatedUnion("type", [
  z.looseObject({
    ...at,
    type: z.literal("started"),
    provider: text,
    model: text,
    limits,
    toolMode,
  }),
  z.looseObject({
    ...at,
    type: z.literal("reasoning"),
    step,
    text,
    // NOTE: absent for the model's visible text (and in every run made before thinking was kept).
    kind: z.enum(["thinking", "redacted-thinking"]).optional(),
  }),
  z.looseObject({ ...at, type: z.literal("tool-call"), step, callId: text, input: toolInput }),
  z.looseObject({
    ...at,
    type: z.literal("tool-result"),
    step,
    callId: text,
    outcome: toolOutcome,
  }),
  z.looseObject({
    ...at,
    type: z.literal("approval"),
    step,
    callId: text,
    decision: z.enum(APPROVAL_DECISIONS),
    by: z.enum(APPROVAL_DECIDERS),
    rule: z.enum(AUTO_APPROVE_RULES).optional(),
    asked: z
      .discriminatedUnion("because", [
        z.looseObject({ because: z.literal("every") }),
        z.looseObject({ because: z.literal("unjudged"), part: text, reason: text }),
      ])
      .optional(),
    input: machineInput,
    edited: machineInput.optional(),
    message: text.optional(),
    waitedMs: count,
  }),
  z.looseObject({
    ...at,
    type: z.literal("usage"),
    step,
    inputTokens: count,
    outputTokens: count,
    totalTokens: count,
    costUsd: count.nullable(),
    reasoningTokens: count.optional(),
  }),
  z.looseObject({
    ...at,
    type: z.literal("warning"),
    label: text,
    steps: z.array(step),
    message: text,
  }),
  z.looseObject({ ...at, type: z.literal("retry"), attempt: count, waitMs: count, message: text }),
  z.looseObject({
    ...at,
    type: z.literal("limit"),
    limit: text,
    message: text,
    step: step.optional(),
  }),
  z.looseObject({ ...at, type: z.literal("error"), kind: text, message: text }),
  z.looseObject({
    ...at,
    type: z.literal("finished"),
    reason: stopReason,
    summary: text.optional(),
  }),
  z.looseObject({
    ...at,
    type: z.literal("setup"),
    durationMs: count,
    fromSavedState: z.boolean().optional(),
    shippedBytes: count.optional(),
    note: text.optional(),
  }),
  z.looseObject({ ...at, type: z.literal("graded"), grade }),
  z.looseObject({ ...at, type: z.literal("cloud-state"), state: z.unknown() }),
]);

/** A stored run's fields, checked (the outcome is derived, so it is not read). */
export const runRecordSchema = z.object({
  schemaVersion: z.number().int().positive(),
  id: text.min(1),
  createdAt: text.refine((t) => !Number.isNaN(Date.parse(t)), "not a date"),
  task: z.looseObject({ id: text.min(1), title: text, domain: text, difficulty: text }),
  agent: z.looseObject({
    provider: text,
    model: text,
    toolMode,
    // NOTE: absent in runs that asked for no reasoning and in runs made before it was kept.
    reasoning: z.looseObject({ effort: text, thinkingBudgetTokens: count.optional() }).optional(),
    maxOutputTokensPerTurn: count.optional(),
  }),
  limits,
  events: z.array(runEvent),
  // NOTE: schema 3; absent in older records and in runs that are no fork.
  forkedFrom: z.looseObject({ runId: text.min(1), step, taskHash: text.optional() }).optional(),
  // NOTE: absent in runs that are no side of a comparison (and in every run before comparisons).
  comparison: z.looseObject({ id: text.min(1), side: z.enum(["left", "right"]) }).optional(),
});

/** Where and why a record failed its check, in a few words: "events[3] (tool-call).input.command: …". */
export function describeIssue(raw: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "a damaged record";
  const path = issue.path.map((part, i) => {
    if (typeof part !== "number") return `${i === 0 ? "" : "."}${String(part)}`;
    const events = (raw as { events?: unknown[] }).events;
    const type =
      i === 1 && issue.path[0] === "events"
        ? (events?.[part] as { type?: unknown } | undefined)?.type
        : undefined;
    return `[${part}]${typeof type === "string" ? ` (${type})` : ""}`;
  });
  return `${path.join("") || "the record"}: ${issue.message}`;
}
