// Replaying the change: the audit log's successful calls made again, in order and at their times, on a copy
// of the initial state, so that a grader can look at the cloud as it was between two calls.
import { ACTIONS_BY_NAME } from "../core/actions";
import { runAtomically } from "../core/control-plane";
import type { Params } from "../core/action";
import { reconcile } from "../core/reconcile";
import { DNS_PROPAGATION_MS, type AuditEntry, type CloudState } from "../core/model";
import { settled } from "./checks";

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

export interface ReplayGaps extends Replay {
  /** What was wrong at some moment of the change, each once, in order: "<when>: <problem>". */
  gaps: string[];
}

/**
 * Whether something served at every step of a change: replays `audit` (see replayAudit) and looks at the
 * cloud right after each call, once it has propagated (DNS_PROPAGATION_MS later), and just before the next
 * call (each look only if it comes before the next call), asking `problems` what is wrong then (null or
 * none: it serves). NOTE: a grader must still compare the replay's end state with the cloud's (`failed`
 * empty, the same shape) before it trusts `gaps`.
 */
export function replayGaps(
  initial: CloudState,
  audit: readonly AuditEntry[],
  endMs: number,
  problems: (state: CloudState) => string | readonly string[] | null,
): ReplayGaps {
  const gaps = new Set<string>();
  const replay = replayAudit(initial, audit, endMs, (step) => {
    const what = `${step.entry.action} ${step.entry.resource}`;
    const until = step.nextMs - step.entry.timeMs;
    const looks: [number, string][] = [
      [0, `after ${what}`],
      [DNS_PROPAGATION_MS, `once ${what} had propagated`],
      [until, `after ${what}, until the next call`],
    ];
    for (const [ms, when] of looks) {
      if (ms > until) continue;
      const found = problems(settled(step.state, ms)) ?? [];
      for (const p of typeof found === "string" ? [found] : found) gaps.add(`${when}: ${p}`);
    }
  });
  return { ...replay, gaps: [...gaps] };
}
