// Results as CSV (RFC 4180): one line per run, for spreadsheets, with the setup it ran under (policy, effort).
import { refusedCalls } from "./leaderboard";
import type { RunRecord } from "./run";
import { policyName } from "./suite";

export const RESULTS_CSV_COLUMNS = [
  "date",
  "task",
  "domain",
  "difficulty",
  "provider",
  "model",
  "policy",
  "effort",
  "verdict",
  "steps",
  "commands",
  "refused",
  "tokens",
  "cost_usd",
  "duration_s",
  "reason",
] as const;

/**
 * One CSV field. NOTE: quoted when it holds a comma, a quote, a line break or leading/trailing
 * space, quotes doubled (RFC 4180); a field a spreadsheet would run as a formula (=, +, -, @, tab,
 * carriage return first) gets a leading apostrophe, so an agent's text cannot become one.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every run as one line, under a header line; lines end in CRLF as RFC 4180 says. */
export function runsToCsv(runs: readonly RunRecord[]): string {
  const lines = [RESULTS_CSV_COLUMNS.join(",")];
  for (const run of runs) {
    const o = run.outcome;
    const verdict = o.reason === null ? "interrupted" : (o.verdict ?? "not graded");
    lines.push(
      [
        run.createdAt,
        run.task.id,
        run.task.domain,
        run.task.difficulty,
        run.agent.provider,
        run.agent.model,
        policyName(run.limits.policy),
        run.agent.reasoning?.effort ?? "off",
        verdict,
        o.steps,
        o.commands,
        refusedCalls(run),
        o.totalTokens,
        o.costUsd,
        Math.round(o.durationMs / 100) / 10,
        o.reason,
      ]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
