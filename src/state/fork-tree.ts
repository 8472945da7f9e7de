// Runs as a fork tree for the history: each fork right under the run it came from, indented by depth.
import type { RunRecord } from "../domain/run";

export interface BranchRow {
  run: RunRecord;
  /** 0 for a run shown at the top level; 1 for a fork of one, and so on. */
  depth: number;
  /** The run it was forked from, when that run is in the list. */
  parent: RunRecord | undefined;
}

/**
 * `runs` in their order, with every fork moved under its parent (forks of a run keep their order among
 * themselves). A fork whose parent is not in the list (filtered out, deleted) stays where it was, at the
 * top level. NOTE: a cycle of ids (only a forged file could make one) is broken, never followed.
 */
export function branchOrder(runs: readonly RunRecord[]): BranchRow[] {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const children = new Map<string, RunRecord[]>();
  const roots: RunRecord[] = [];
  for (const run of runs) {
    const parentId = run.forkedFrom?.runId;
    if (parentId !== undefined && parentId !== run.id && byId.has(parentId)) {
      children.set(parentId, [...(children.get(parentId) ?? []), run]);
    } else roots.push(run);
  }
  const rows: BranchRow[] = [];
  const seen = new Set<string>();
  const visit = (run: RunRecord, depth: number, parent: RunRecord | undefined) => {
    if (seen.has(run.id)) return;
    seen.add(run.id);
    rows.push({ run, depth, parent });
    for (const child of children.get(run.id) ?? []) visit(child, depth + 1, run);
  };
  for (const root of roots) visit(root, 0, undefined);
  // Runs only reachable through a cycle: shown at the top level rather than lost.
  for (const run of runs) visit(run, 0, undefined);
  return rows;
}
