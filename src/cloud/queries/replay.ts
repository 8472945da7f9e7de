// Replaying the change: the audit log's successful calls made again, in order and at their times, on a copy
// of the initial state, so that a grader can look at the cloud as it was between two calls.
import { ACTIONS_BY_NAME } from "../actions";
import { runAtomically } from "../control-plane";
import type { Params } from "../action";
import { reconcile } from "../reconcile";
import type { AuditEntry, CloudState } from "../state";

export interface ReplayStep {
  /** The call just made again. */
  entry: AuditEntry;
  /** The cloud right after it (read it, never keep it: the next step changes it). */
  state: CloudState;
  /** When the next successful call was made (or `endMs` after the last one). */
  nextMs: number;
}

export interface Replay {
  /** The cloud after the last call, at `endMs`. */
  state: CloudState;
  /** Calls that did not succeed again (the replay is then not the cloud's own history). */
  failed: AuditEntry[];
}

/**
 * Makes the successful calls of `audit` again on a copy of `initial`, each at its own time, and hands each
 * step to `visit`. NOTE: the log keeps no secrets ("document" is redacted): a replay of IAM policy
 * changes is not faithful; compare the replayed end state with the cloud's before trusting it.
 */
export function replayAudit(
  initial: CloudState,
  audit: readonly AuditEntry[],
  endMs: number,
  visit: (step: ReplayStep) => void = () => {},
): Replay {
  const state = structuredClone(initial);
  const calls = audit.filter((e) => e.outcome === "ok");
  const failed: AuditEntry[] = [];
  for (const [k, entry] of calls.entries()) {
    state.nowMs = Math.max(state.nowMs, entry.timeMs);
    reconcile(state);
    const action = ACTIONS_BY_NAME.get(entry.action);
    try {
      if (!action) throw new Error(`unknown action ${entry.action}`);
      runAtomically(state, () =>
        action.run(
          {
            state,
            caller: { principal: entry.principal, policies: [] },
            region: state.defaultRegion,
          },
          structuredClone(entry.params) as Params,
        ),
      );
    } catch {
      failed.push(entry);
    }
    visit({ entry, state, nextMs: calls[k + 1]?.timeMs ?? endMs });
  }
  state.nowMs = Math.max(state.nowMs, endMs);
  reconcile(state);
  return { state, failed };
}
