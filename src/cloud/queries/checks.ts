// A cloud task's host-side grader: the checks module's shape, its check lines, and how it is run.
import type { CheckLine } from "../../domain/task";
import { reconcile } from "../core/reconcile";
import type { CloudState } from "../core/model";
import { CloudView } from "./cloud-view";

/**
 * How far the clock of the graded copy is moved on before the checks read it: what the agent set in
 * motion (instances booting, volumes being created, snapshots, DNS changes propagating, targets in
 * their first health checks, rollouts) has settled by then, as it would for a grader that waited.
 * NOTE: a pending resource is graded as it will be, not polled: the checks are quick and
 * deterministic, and the live control plane's clock is left alone.
 */
export const GRADE_SETTLE_MS = 5 * 60_000;

/** What a task's cloud checks read: the cloud as graded, and as the task began (for identities and "untouched"). */
export interface CloudWorld {
  cloud: CloudView;
  initial: CloudView;
}

/** Reports one check: `passed` picks the PASS or the FAIL line (the FAIL text defaults to the PASS text). */
export type Check = (passed: boolean, passText: string, failText?: string) => void;

/**
 * A task's tests/cloud-checks.ts exports one of these as its default export. NOTE: `kind` tells the
 * runner which world to hand it (the domain carries it as a HostChecks).
 */
export interface CloudChecks {
  readonly kind: "cloud";
  run(world: CloudWorld): CheckLine[];
}

/** Makes a task's cloud checks from a function that reports each check with `check`. */
export function cloudChecks(body: (world: CloudWorld & { check: Check }) => void): CloudChecks {
  return {
    kind: "cloud",
    run(world) {
      const lines: CheckLine[] = [];
      const check: Check = (passed, passText, failText = passText) =>
        lines.push({ passed, text: passed ? passText : failText });
      body({ ...world, check });
      return lines;
    },
  };
}

/**
 * Whether two values of the state are the same, deeply (plain data: objects, arrays, primitives).
 * NOTE: for "left exactly as it was": compare a resource now with the same resource, found by its
 * identity, in the initial state.
 */
export function unchanged(before: unknown, after: unknown): boolean {
  if (before === after) return true;
  if (typeof before !== "object" || typeof after !== "object" || !before || !after) return false;
  if (Array.isArray(before) !== Array.isArray(after)) return false;
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && unchanged(a[k], b[k]))
  );
}

/** A copy of `state` with its clock moved on by `ms` and every transition due by then settled. */
export function settled(state: CloudState, ms: number): CloudState {
  const copy = structuredClone(state);
  copy.nowMs += ms;
  reconcile(copy);
  return copy;
}

/**
 * Runs a task's cloud checks on the state now (settled, see GRADE_SETTLE_MS) and the initial state.
 * NOTE: checks that throw (a bug in the task's module) fail the grade with the error, never pass it.
 */
export function runCloudChecks(
  checks: CloudChecks,
  now: CloudState,
  initial: CloudState,
): CheckLine[] {
  try {
    const lines = checks.run({
      cloud: new CloudView(settled(now, GRADE_SETTLE_MS)),
      initial: new CloudView(structuredClone(initial)),
    });
    return lines.length > 0
      ? lines
      : [{ passed: false, text: "the cloud checks reported nothing" }];
  } catch (error) {
    return [{ passed: false, text: `the cloud checks failed: ${(error as Error).message}` }];
  }
}
