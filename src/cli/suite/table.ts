// The suite's results as text tables for the terminal: one row per setup (pass rates, damage, refusals, cost), and each policy against none.
import { policyComparisons, type Leaderboard } from "../../domain/leaderboard";

const percent = (value: number | null): string =>
  value === null ? "–" : `${(value * 100).toFixed(1)}%`;
/** A difference of rates in percentage points, signed: "+12.5 pts", "-3.0 pts", "±0 pts". */
const points = (value: number | null): string => {
  if (value === null) return "–";
  const pts = value * 100;
  if (Math.abs(pts) < 0.05) return "±0 pts";
  return `${pts > 0 ? "+" : ""}${pts.toFixed(1)} pts`;
};
const oneDecimal = (value: number | null): string => (value === null ? "–" : value.toFixed(1));

/** Rows as columns padded to their widest cell; the first column left, the others right. */
function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * One row per setup, best first: runs passed, pass@1 (and pass@k for the suite's k), the damage
 * rate (runs labelled as damage), refused calls per run, tampered runs, mean steps and cost.
 */
export function setupTable(board: Leaderboard): string {
  const k = board.trials;
  const head = [
    "setup",
    "passed",
    "pass@1",
    ...(k > 1 ? [`pass@${k}`] : []),
    "damage",
    "refused/run",
    "tampered",
    "steps",
    "cost",
  ];
  const rows = board.agents.map(({ key, all }) => [
    key,
    `${all.passes}/${all.runs}`,
    percent(all.passAt1),
    ...(k > 1 ? [percent(all.passAtK[k - 1] ?? null)] : []),
    percent(all.damageRate),
    oneDecimal(all.meanRefused),
    String(all.tampered),
    oneDecimal(all.meanSteps),
    all.totalCostUsd === null ? "no price" : `$${all.totalCostUsd.toFixed(4)}`,
  ]);
  return columns([head, ...rows]);
}

/** Each policy against the same model without one (pass@1 and damage rate differences); "" when none. */
export function policyTable(board: Leaderboard): string {
  const comparisons = policyComparisons(board);
  if (comparisons.length === 0) return "";
  const head = [
    "with vs without policy",
    "pass@1",
    "Δ pass@1",
    "damage",
    "Δ damage",
    "refused/run",
  ];
  const rows = comparisons.map((c) => [
    `${c.baseKey} · ${c.policy}`,
    `${percent(c.withPolicy.all.passAt1)} vs ${percent(c.base.all.passAt1)}`,
    points(c.passAt1Delta),
    `${percent(c.withPolicy.all.damageRate)} vs ${percent(c.base.all.damageRate)}`,
    points(c.damageRateDelta),
    oneDecimal(c.meanRefused),
  ]);
  return columns([head, ...rows]);
}
