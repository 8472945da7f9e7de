// Verifying a recorded run: the steps to replay, how a replayed result and grade compare with the recording, the report and its stored summary.
import type { CommandOutcome, RunRecord, ToolInput, ToolOutcome } from "./run";
import { verdictOf, type Grade, type TamperFinding, type TaskBundle, type Verdict } from "./task";

/** One recorded tool call that a verification plays again, with what it gave when recorded. */
export interface ReplayStep {
  /** The run's step number (the model's turn) the call belongs to. */
  step: number;
  input: Extract<ToolInput, { tool: "run_command" | "write_file" }>;
  recorded: ToolOutcome;
}

/**
 * How far a replayed step is from the recording: "same"; "output" when only the text differs (dates,
 * PIDs and timings make that expected); "outcome" when the exit code, the time-out or the kind of
 * result differs (the command did something else this time).
 */
export type StepDifference = "same" | "output" | "outcome";

export interface StepComparison {
  step: number;
  /** The command line, or "write <path>" for a file write. */
  command: string;
  same: boolean;
  difference: StepDifference;
  /** One short line per difference, for a person. */
  differences: string[];
}

export interface CheckComparison {
  text: string;
  /** Whether the check passed in the recorded grade; absent when the recording has no such check. */
  recorded?: boolean;
  /** Whether it passed now; absent when the grader did not print it this time. */
  now?: boolean;
}

export interface VerifyReport {
  /** The verdict now is the recorded one. */
  reproduced: boolean;
  verdict: { recorded: Verdict; now: Verdict };
  checks: CheckComparison[];
  steps: StepComparison[];
  /** What the integrity checks found this time (why "tampered", when it is). */
  findings: TamperFinding[];
  /** Recorded calls not played again, with why (a call cut off by Stop). */
  skipped: string[];
  /** Readying the task (with its integrity baseline), replaying the steps, grading; and the whole, in milliseconds. */
  setupMs: number;
  replayMs: number;
  gradeMs: number;
  durationMs: number;
}

/** What a browser keeps of a verification, beside the run (not inside it: the record stays as recorded). */
export interface VerificationSummary {
  runId: string;
  /** ISO 8601 time the verification ended. */
  verifiedAt: string;
  reproduced: boolean;
  verdict: { recorded: Verdict; now: Verdict };
  /** Steps whose exit code or kind of result differed. */
  outcomeDifferences: number;
  durationMs: number;
}

/** The recorded grade, or undefined when the run was not graded. */
export function recordedGrade(record: RunRecord): Grade | undefined {
  for (const event of record.events) if (event.type === "graded") return event.grade;
  return undefined;
}

/**
 * Why a run cannot be verified against this task, or undefined when it can: no grade to reproduce, or a
 * task that is not the recorded one (another id, or its title, domain or difficulty changed).
 */
export function unverifiableReason(
  record: RunRecord,
  task: TaskBundle | undefined,
): string | undefined {
  if (!task)
    return `The task "${record.task.id}" is not in this OpsLab: it cannot be set up, so the run cannot be verified here.`;
  if (task.meta.id !== record.task.id)
    return `The run is of task "${record.task.id}", not "${task.meta.id}".`;
  const changed = (["title", "domain", "difficulty"] as const).filter(
    (key) => task.meta[key] !== record.task[key],
  );
  if (changed.length > 0)
    return `This OpsLab's task "${task.meta.id}" differs from the recorded one (its ${changed.join(", ")} changed): a verification would grade another task.`;
  if (!recordedGrade(record))
    return "The run was not graded (stopped before it, or its VM was lost): there is no verdict to reproduce.";
  return undefined;
}

/**
 * The calls to play again, in order: commands and file writes that have a recorded result, as they
 * ran (a call the person edited, as edited). Finish, malformed, rejected (by the person too) and
 * policy-refused calls are skipped (they did nothing in the VM); a call without a result (cut
 * off by Stop) is listed in `skipped`.
 */
export function replaySteps(record: RunRecord): { steps: ReplayStep[]; skipped: string[] } {
  const outcomes = new Map<string, ToolOutcome>();
  const edits = new Map<string, ReplayStep["input"]>();
  for (const event of record.events) {
    if (event.type === "tool-result") outcomes.set(`${event.step}/${event.callId}`, event.outcome);
    if (event.type === "approval" && event.edited)
      edits.set(`${event.step}/${event.callId}`, event.edited);
  }
  const steps: ReplayStep[] = [];
  const skipped: string[] = [];
  for (const event of record.events) {
    if (event.type !== "tool-call") continue;
    if (event.input.tool !== "run_command" && event.input.tool !== "write_file") continue;
    // NOTE: a call the person edited under approval mode is played as it ran: the person's text.
    const input = edits.get(`${event.step}/${event.callId}`) ?? event.input;
    const recorded = outcomes.get(`${event.step}/${event.callId}`);
    if (!recorded) {
      skipped.push(
        `step ${event.step}: ${describeInput(input)} has no recorded result (the run was stopped during it)`,
      );
      continue;
    }
    // NOTE: a call refused by the run's command policy ran nothing: it is not played again.
    if (recorded.kind === "rejected" || recorded.kind === "refused") continue;
    steps.push({ step: event.step, input, recorded });
  }
  return { steps, skipped };
}

export function describeInput(input: ReplayStep["input"]): string {
  return input.tool === "run_command" ? input.command : `write ${input.path}`;
}

/** Digits stand for times, dates, PIDs, sizes and ports: text equal but for them differs "only in numbers". */
const volatile = (text: string) => text.replace(/\d+/g, "#");
const SHOWN_LINE_CHARS = 80;

function clip(line: string): string {
  return line.length > SHOWN_LINE_CHARS ? `${line.slice(0, SHOWN_LINE_CHARS)}…` : line;
}

/** One line saying how a stream's text differs, or undefined when it does not. */
export function textDifference(
  stream: string,
  recorded: string,
  now: string,
  recordedCut: boolean,
): string | undefined {
  if (recorded === now) return undefined;
  const before = recorded.split("\n");
  const after = now.split("\n");
  const count = Math.max(before.length, after.length);
  let differing = 0;
  let first = -1;
  for (let i = 0; i < count; i++) {
    if (before[i] === after[i]) continue;
    differing++;
    if (first < 0) first = i;
  }
  const cut = recordedCut ? " (the recording kept only its head and tail)" : "";
  if (volatile(recorded) === volatile(now))
    return `${stream} differs only in numbers (times, dates, PIDs, sizes)${cut}`;
  const was = before[first] ?? "(nothing)";
  const is = after[first] ?? "(nothing)";
  return `${stream}: ${differing} of ${count} lines differ; line ${first + 1} was "${clip(was)}", now "${clip(is)}"${cut}`;
}

function compareCommands(
  recorded: CommandOutcome,
  now: CommandOutcome,
): StepComparison["differences"] {
  const outcome: string[] = [];
  if (recorded.exitCode !== now.exitCode)
    outcome.push(`exit code ${recorded.exitCode} when recorded, ${now.exitCode} now`);
  if (recorded.timedOut !== now.timedOut)
    outcome.push(
      recorded.timedOut ? "timed out when recorded, not now" : "timed out now, not when recorded",
    );
  return outcome;
}

/**
 * Compares a replayed step's result with the recorded one. NOTE: both went through the same cutting
 * (commandOutcome). `commandSeconds`: the run's command limit, to note a replay that needed longer.
 */
export function compareStep(
  replayed: ReplayStep,
  now: ToolOutcome,
  commandSeconds?: number,
): StepComparison {
  const { recorded, input, step } = replayed;
  const command = describeInput(input);
  let outcome: string[] = [];
  const output: string[] = [];
  if (recorded.kind !== now.kind) {
    outcome = [`${describeKind(recorded)} when recorded, ${describeKind(now)} now`];
  } else if (recorded.kind === "command" && now.kind === "command") {
    outcome = compareCommands(recorded, now);
    const cut = recorded.truncated;
    for (const [stream, was, is] of [
      ["stdout", recorded.stdout, now.stdout],
      ["stderr", recorded.stderr, now.stderr],
    ] as const) {
      const line = textDifference(stream, was, is, cut);
      if (line) output.push(line);
    }
    const limit = Math.min(
      input.tool === "run_command" ? (input.timeoutSeconds ?? Infinity) : Infinity,
      commandSeconds ?? Infinity,
    );
    if (!recorded.timedOut && now.durationMs > limit * 1000)
      output.push(
        `took ${Math.round(now.durationMs / 1000)} s now, over the run's limit of ${limit} s (a slower machine: it was let finish)`,
      );
  } else if (recorded.kind === "file-written" && now.kind === "file-written") {
    if (recorded.bytes !== now.bytes)
      outcome.push(`${recorded.bytes} bytes written when recorded, ${now.bytes} now`);
  }
  const difference: StepDifference =
    outcome.length > 0 ? "outcome" : output.length > 0 ? "output" : "same";
  return {
    step,
    command,
    same: difference === "same",
    difference,
    differences: [...outcome, ...output],
  };
}

function describeKind(outcome: ToolOutcome): string {
  switch (outcome.kind) {
    case "command":
      return `a command result (exit ${outcome.exitCode})`;
    case "file-written":
      return "a file written";
    case "failed":
      return `refused by the guest (${outcome.message})`;
    default:
      return outcome.kind;
  }
}

/**
 * The recorded and current checks side by side, matched by their text (the n-th check of a text with
 * the n-th of the same text), in the recorded order, then checks only seen now.
 */
export function compareChecks(recorded: Grade, now: Grade): CheckComparison[] {
  const remaining = now.checks.map((check) => ({ ...check, used: false }));
  const rows: CheckComparison[] = recorded.checks.map((check) => {
    const match = remaining.find((c) => !c.used && c.text === check.text);
    if (!match) return { text: check.text, recorded: check.passed };
    match.used = true;
    return { text: check.text, recorded: check.passed, now: match.passed };
  });
  for (const check of remaining)
    if (!check.used) rows.push({ text: check.text, now: check.passed });
  return rows;
}

/** The report of a verification from its parts. */
export function makeReport(parts: {
  recorded: Grade;
  now: Grade;
  steps: StepComparison[];
  skipped: string[];
  setupMs: number;
  replayMs: number;
  gradeMs: number;
  durationMs: number;
}): VerifyReport {
  const verdict = { recorded: verdictOf(parts.recorded), now: verdictOf(parts.now) };
  return {
    reproduced: verdict.recorded === verdict.now,
    verdict,
    checks: compareChecks(parts.recorded, parts.now),
    steps: parts.steps,
    findings: parts.now.integrity?.findings ?? [],
    skipped: parts.skipped,
    setupMs: parts.setupMs,
    replayMs: parts.replayMs,
    gradeMs: parts.gradeMs,
    durationMs: parts.durationMs,
  };
}

/** What a browser keeps of a report. */
export function summarizeReport(
  runId: string,
  report: VerifyReport,
  verifiedAt: Date,
): VerificationSummary {
  return {
    runId,
    verifiedAt: verifiedAt.toISOString(),
    reproduced: report.reproduced,
    verdict: report.verdict,
    outcomeDifferences: report.steps.filter((s) => s.difference === "outcome").length,
    durationMs: report.durationMs,
  };
}

const VERDICTS: readonly string[] = ["pass", "fail", "tampered"];

/** Reads a stored summary; undefined when it is not one (a damaged or foreign value is ignored, not shown). */
export function restoreVerification(raw: unknown): VerificationSummary | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const v = raw as Record<string, unknown>;
  const verdict = v.verdict as Record<string, unknown> | undefined;
  const ok =
    typeof v.runId === "string" &&
    typeof v.verifiedAt === "string" &&
    typeof v.reproduced === "boolean" &&
    typeof v.outcomeDifferences === "number" &&
    typeof v.durationMs === "number" &&
    typeof verdict === "object" &&
    verdict !== null &&
    VERDICTS.includes(String(verdict.recorded)) &&
    VERDICTS.includes(String(verdict.now));
  if (!ok) return undefined;
  return {
    runId: v.runId as string,
    verifiedAt: v.verifiedAt as string,
    reproduced: v.reproduced as boolean,
    verdict: { recorded: verdict.recorded as Verdict, now: verdict.now as Verdict },
    outcomeDifferences: v.outcomeDifferences as number,
    durationMs: v.durationMs as number,
  };
}
