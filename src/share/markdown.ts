// A run as a Markdown summary for a ticket or a pull request: task, agent, verdict, checks, steps, cost and tokens.
import { describeApproval } from "../domain/approval";
import type { RunEvent, RunRecord } from "../domain/run";
import { verdictOf, type Grade } from "../domain/task";

/** A command shown longer than this many characters is cut in the summary (the record keeps it whole). */
const COMMAND_SHOWN_CHARS = 200;
const VERDICT_WORDS = { pass: "✅ pass", fail: "❌ fail", tampered: "⚠️ tampered" } as const;

const secondsText = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Text safe inside a Markdown table cell or inline code: no pipes or line breaks break it. */
function cell(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ⏎ ").replace(/\|/g, "\\|");
  return flat.length > COMMAND_SHOWN_CHARS ? `${flat.slice(0, COMMAND_SHOWN_CHARS)}…` : flat;
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const fence = "`".repeat(
    (text.match(/`+/g) ?? []).reduce((n, m) => Math.max(n, m.length), 0) + 1,
  );
  return `${fence} ${text} ${fence}`;
}

function stepRows(events: readonly RunEvent[]): string[] {
  const rows: string[] = [];
  const results = new Map<string, RunEvent & { type: "tool-result" }>();
  const approvals = new Map<string, RunEvent & { type: "approval" }>();
  for (const e of events) if (e.type === "tool-result") results.set(e.callId, e);
  for (const e of events) if (e.type === "approval") approvals.set(e.callId, e);
  for (const e of events) {
    if (e.type !== "tool-call") continue;
    const outcome = results.get(e.callId)?.outcome;
    const approval = approvals.get(e.callId);
    const { input } = e;
    let what: string;
    if (input.tool === "run_command") what = code(cell(input.command));
    else if (input.tool === "write_file") what = `write ${code(cell(input.path))}`;
    else if (input.tool === "finish") what = `finish: ${cell(input.summary)}`;
    else what = `malformed call to ${cell(input.name)}`;
    if (approval) what += ` (${cell(describeApproval(approval))})`;
    let result = "";
    if (outcome?.kind === "command") {
      result = `exit ${outcome.exitCode}${outcome.timedOut ? " (timed out)" : ""}`;
    } else if (outcome?.kind === "file-written") result = `${outcome.bytes} bytes`;
    else if (outcome?.kind === "failed" || outcome?.kind === "rejected")
      result = cell(outcome.message);
    else if (outcome?.kind === "refused") result = cell(`refused by the policy: ${outcome.reason}`);
    const time = outcome && "durationMs" in outcome ? secondsText(outcome.durationMs) : "";
    rows.push(`| ${e.step} | ${what} | ${result} | ${time} |`);
  }
  return rows;
}

function gradeLines(grade: Grade | undefined): string[] {
  if (!grade) return ["Not graded."];
  const lines = grade.checks.map((c) => `- ${c.passed ? "✅" : "❌"} ${cell(c.text)}`);
  for (const finding of grade.integrity?.findings ?? []) {
    lines.push(`- ⚠️ tampered: ${cell(finding.detail)} (${cell(finding.where)})`);
  }
  return lines.length ? lines : ["The grader printed no check."];
}

/** The summary; `link` (a share link) is put under the title when given. */
export function runMarkdown(record: RunRecord, link?: string): string {
  const o = record.outcome;
  const graded = record.events.filter((e) => e.type === "graded").at(-1);
  const grade = graded?.type === "graded" ? graded.grade : undefined;
  const verdict = grade ? VERDICT_WORDS[verdictOf(grade)] : "not graded";
  const cost = o.costUsd === null ? "no price" : `$${o.costUsd.toFixed(4)}`;
  return [
    `## OpsLab run: ${cell(record.task.title)}`,
    "",
    ...(link ? [`[Open the run in OpsLab](${link})`, ""] : []),
    `| | |`,
    `|---|---|`,
    `| Task | ${code(record.task.id)} (${record.task.domain}, ${record.task.difficulty}) |`,
    `| Agent | ${cell(record.agent.provider)} · ${cell(record.agent.model)} (${record.agent.toolMode} tools) |`,
    `| Verdict | ${verdict} |`,
    `| Ended | ${o.reason ?? "unknown"} |`,
    `| Steps | ${o.steps} (${o.commands} commands) |`,
    `| Time | ${secondsText(o.durationMs)} |`,
    `| Tokens | ${o.totalTokens} |`,
    `| Cost | ${cost} |`,
    `| Started | ${record.createdAt} |`,
    "",
    "### Checks",
    "",
    ...gradeLines(grade),
    "",
    "### Steps",
    "",
    "| Step | Action | Result | Time |",
    "|---|---|---|---|",
    ...stepRows(record.events),
    "",
  ].join("\n");
}
