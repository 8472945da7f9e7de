// Two runs of one task step by step: their calls aligned row by row on what each does and to what, and where they first part.
import type { RunEvent, ToolInput } from "../domain/run";
import { actionKeys, isLook } from "./command-kinds";
import { targetLabel, targetsOf } from "./targets";

/** What a call does, as alignment compares it (never its raw text: flags and quoting do not matter). */
export interface StepKey {
  /** "look" only reads; "change" may change the machine (a write is one); "finish" ends the run. */
  kind: "look" | "change" | "finish" | "invalid";
  /** What it runs, sorted and unique ("cat", "systemctl restart", "write /etc/hosts"). */
  actions: string[];
  /** What it names, sorted and unique ("/etc/nginx/nginx.conf", "unit nginx.service"). */
  targets: string[];
}

/** One call of a run, as the comparison shows and aligns it. */
export interface CompareStep {
  /** The run's step (one model turn; a turn with several calls gives several steps of one number). */
  step: number;
  callId: string;
  input: ToolInput;
  key: StepKey;
  /** The model's visible text of that turn, before the call ("" when it said nothing). */
  reasoning: string;
}

/** How two aligned calls compare: same action on the same things, same kind but partly other, or other. */
export type RowMatch = "same" | "similar" | "different" | "left-only" | "right-only";

export interface AlignedRow {
  left: CompareStep | null;
  right: CompareStep | null;
  match: RowMatch;
}

/** Where the two runs first part: the row, and the next call each was about to make there. */
export interface Divergence {
  row: number;
  /** The next call of each run from that row on; null when that run made no further call. */
  left: CompareStep | null;
  right: CompareStep | null;
  /** "kind": a look against a change (or a finish); "action": same kind, other command; "target": same command, other things; "ended": one run made no further call. */
  reason: "kind" | "action" | "target" | "ended";
}

export interface Alignment {
  rows: AlignedRow[];
  /** Null when the two runs made the same calls throughout. */
  divergence: Divergence | null;
}

/**
 * NOTE: a diagnosis (the text before a call) is not compared: free text that names causes cannot be
 * read reliably without a model, so divergence is marked on commands only and the text is shown beside them.
 */
export const DIAGNOSIS_COMPARED = false;

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort();

/** The key of one call: its kind, what it runs, what it names. */
export function stepKey(input: ToolInput): StepKey {
  switch (input.tool) {
    case "finish":
      return { kind: "finish", actions: ["finish"], targets: [] };
    case "invalid":
      return { kind: "invalid", actions: [`invalid ${input.name}`], targets: [] };
    case "write_file":
      return { kind: "change", actions: ["write"], targets: [input.path] };
    case "run_command": {
      const names = targetsOf(input.command).names.map(targetLabel);
      return {
        kind: isLook(input) ? "look" : "change",
        actions: sortedUnique(actionKeys(input)),
        targets: sortedUnique(names),
      };
    }
  }
}

/** A run's calls in order, each with its key and the model's text of its turn. */
export function compareSteps(events: readonly RunEvent[]): CompareStep[] {
  const text = new Map<number, string[]>();
  for (const event of events) {
    if (event.type !== "reasoning" || event.kind !== undefined) continue;
    text.set(event.step, [...(text.get(event.step) ?? []), event.text]);
  }
  return events.flatMap((event) =>
    event.type === "tool-call"
      ? [
          {
            step: event.step,
            callId: event.callId,
            input: event.input,
            key: stepKey(event.input),
            reasoning: (text.get(event.step) ?? []).join("\n").trim(),
          },
        ]
      : [],
  );
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);
const overlaps = (a: readonly string[], b: readonly string[]) => a.some((v) => b.includes(v));

/** How two keys compare: "same" (kind, actions, targets equal), "similar" (same kind, some action or target shared), else "different". */
export function compareKeys(a: StepKey, b: StepKey): "same" | "similar" | "different" {
  if (a.kind !== b.kind) return "different";
  if (sameList(a.actions, b.actions) && sameList(a.targets, b.targets)) return "same";
  return overlaps(a.actions, b.actions) || overlaps(a.targets, b.targets) ? "similar" : "different";
}

/** Alignment scores: a pair of different calls costs less than two gaps, so unlike calls share a row. */
const SCORE = { same: 3, similar: 1, different: -1, gap: -1 } as const;

/** Aligns two runs' calls (global alignment by dynamic programming over their keys) and marks the first divergence. */
export function alignSteps(left: readonly CompareStep[], right: readonly CompareStep[]): Alignment {
  const rows = alignRows(left, right);
  return { rows, divergence: firstDivergence(rows) };
}

function alignRows(left: readonly CompareStep[], right: readonly CompareStep[]): AlignedRow[] {
  const n = left.length;
  const m = right.length;
  const match = (i: number, j: number) => compareKeys(left[i]!.key, right[j]!.key);
  // score[i][j]: the best alignment of left[i..] with right[j..] (filled from the end, read from the start).
  const score = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      if (i === n && j === m) continue;
      const options: number[] = [];
      if (i < n && j < m) options.push(SCORE[match(i, j)] + score[i + 1]![j + 1]!);
      if (i < n) options.push(SCORE.gap + score[i + 1]![j]!);
      if (j < m) options.push(SCORE.gap + score[i]![j + 1]!);
      score[i]![j] = Math.max(...options);
    }
  }
  const rows: AlignedRow[] = [];
  let i = 0;
  let j = 0;
  // NOTE: ties go to a pair first, then a left-only row: the same two runs always align the same way.
  while (i < n || j < m) {
    const here = score[i]![j]!;
    if (i < n && j < m && here === SCORE[match(i, j)] + score[i + 1]![j + 1]!) {
      rows.push({ left: left[i]!, right: right[j]!, match: match(i, j) });
      i++;
      j++;
    } else if (i < n && here === SCORE.gap + score[i + 1]![j]!) {
      rows.push({ left: left[i]!, right: null, match: "left-only" });
      i++;
    } else {
      rows.push({ left: null, right: right[j]!, match: "right-only" });
      j++;
    }
  }
  return rows;
}

/** The first row that is not the same call on both sides, with the next call each run made from there. */
function firstDivergence(rows: readonly AlignedRow[]): Divergence | null {
  const row = rows.findIndex((r) => r.match !== "same");
  if (row < 0) return null;
  const next = (side: "left" | "right") => rows.slice(row).find((r) => r[side])?.[side] ?? null;
  const left = next("left");
  const right = next("right");
  return { row, left, right, reason: divergenceReason(left, right) };
}

/** Why two next calls differ (either may be missing: that run made no further call). */
export function divergenceReason(
  left: CompareStep | null,
  right: CompareStep | null,
): Divergence["reason"] {
  if (!left || !right) return "ended";
  if (left.key.kind !== right.key.kind) return "kind";
  return sameList(left.key.actions, right.key.actions) ? "target" : "action";
}

/** One run's next call against the other's, for pausing both before they part: null when they agree. */
export function disagreement(
  left: CompareStep | null,
  right: CompareStep | null,
): Divergence["reason"] | null {
  if (left && right && compareKeys(left.key, right.key) === "same") return null;
  return divergenceReason(left, right);
}
