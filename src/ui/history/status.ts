// How a saved run's status reads in the history: label and colour.
import type { RunStatus } from "../../state/history-filter";

export const STATUS_LABELS: Record<
  RunStatus,
  { label: string; className: string; title?: string }
> = {
  pass: { label: "PASS", className: "ok" },
  fail: { label: "FAIL", className: "fail" },
  tampered: {
    label: "TAMPERED",
    className: "fail",
    title: "The agent changed what grading relies on",
  },
  "not graded": { label: "not graded", className: "muted" },
  interrupted: {
    label: "interrupted",
    className: "warning",
    title: "Its tab closed or reloaded before the run ended; every step it took is kept",
  },
  running: { label: "running in another tab", className: "muted" },
};

/** Bytes as a person reads them: "812 kB", "3.4 MB". */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = n;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
