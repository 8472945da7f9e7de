// Which saved runs the history shows and in what order: filters (task, domain, model, verdict, dates), free-text search, sorting.
import type { RunRecord } from "../domain/run";

/** What a saved run came to, as the history shows and filters it. */
export type RunStatus = "pass" | "fail" | "tampered" | "not graded" | "interrupted" | "running";

export const RUN_STATUSES: readonly RunStatus[] = [
  "pass",
  "fail",
  "tampered",
  "not graded",
  "interrupted",
  "running",
];

/**
 * NOTE: a run without an end is "running" only while another tab holds it (`runningElsewhere`);
 * otherwise its tab closed or reloaded mid-run and it is "interrupted", as is a run storage knows was
 * cut off (`cutOff`: one cut off while it was graded has the agent's end but no grade).
 */
export function runStatus(
  run: RunRecord,
  runningElsewhere: ReadonlySet<string>,
  cutOff: ReadonlySet<string> = new Set(),
): RunStatus {
  if (runningElsewhere.has(run.id)) return "running";
  if (run.outcome.reason === null || cutOff.has(run.id)) return "interrupted";
  return run.outcome.verdict ?? "not graded";
}

export const SORT_KEYS = ["date", "task", "model", "steps", "tokens", "cost", "duration"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface HistoryFilter {
  /** A task id, or "" for all. */
  task: string;
  domain: string;
  /** "provider/model", or "" for all. */
  model: string;
  status: RunStatus | "";
  /** YYYY-MM-DD (local dates), inclusive; "" for no bound. */
  from: string;
  to: string;
  /** Words that must all appear in the task, model, summary or commands. */
  query: string;
  sort: SortKey;
  descending: boolean;
}

export const NO_FILTER: HistoryFilter = {
  task: "",
  domain: "",
  model: "",
  status: "",
  from: "",
  to: "",
  query: "",
  sort: "date",
  descending: true,
};

export const modelKey = (run: RunRecord) => `${run.agent.provider}/${run.agent.model}`;

/** A local date as YYYY-MM-DD (what `<input type="date">` gives). */
export function localDay(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The text free-text search looks in: task, domain, model, verdict, the agent's commands and summary. */
function searchText(run: RunRecord, status: RunStatus): string {
  const parts = [run.task.id, run.task.title, run.task.domain, run.task.difficulty, modelKey(run)];
  parts.push(status);
  for (const event of run.events) {
    if (event.type === "tool-call" && event.input.tool === "run_command")
      parts.push(event.input.command);
    if (event.type === "finished" && event.summary) parts.push(event.summary);
  }
  return parts.join("\n").toLowerCase();
}

const SORT_VALUES: Record<SortKey, (run: RunRecord) => string | number> = {
  date: (r) => r.createdAt,
  task: (r) => r.task.title.toLowerCase(),
  model: (r) => modelKey(r).toLowerCase(),
  steps: (r) => r.outcome.steps,
  tokens: (r) => r.outcome.totalTokens,
  cost: (r) => r.outcome.costUsd ?? -1,
  duration: (r) => r.outcome.durationMs,
};

/** The runs that pass `filter`, in its order (ties newest first). */
export function filterRuns(
  runs: readonly RunRecord[],
  filter: HistoryFilter,
  runningElsewhere: ReadonlySet<string> = new Set(),
  cutOff: ReadonlySet<string> = new Set(),
): RunRecord[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = runs.filter((run) => {
    const status = runStatus(run, runningElsewhere, cutOff);
    const day = localDay(run.createdAt);
    if (filter.task && run.task.id !== filter.task) return false;
    if (filter.domain && run.task.domain !== filter.domain) return false;
    if (filter.model && modelKey(run) !== filter.model) return false;
    if (filter.status && status !== filter.status) return false;
    if (filter.from && day < filter.from) return false;
    if (filter.to && day > filter.to) return false;
    if (words.length === 0) return true;
    const text = searchText(run, status);
    return words.every((word) => text.includes(word));
  });
  const value = SORT_VALUES[filter.sort];
  const sign = filter.descending ? -1 : 1;
  return kept.sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x < y) return -sign;
    if (x > y) return sign;
    return b.createdAt.localeCompare(a.createdAt);
  });
}

/** The values each filter can take among `runs`, for the filter menus. */
export function filterChoices(runs: readonly RunRecord[]): {
  tasks: { id: string; title: string }[];
  domains: string[];
  models: string[];
} {
  const tasks = new Map<string, string>();
  for (const run of runs) tasks.set(run.task.id, run.task.title);
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    tasks: [...tasks]
      .map(([id, title]) => ({ id, title }))
      .sort((a, b) => a.title.localeCompare(b.title)),
    domains: sorted(runs.map((r) => r.task.domain)),
    models: sorted(runs.map(modelKey)),
  };
}
