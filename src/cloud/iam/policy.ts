// IAM policy evaluation: an explicit Deny wins, then any Allow, else the call is implicitly denied.
import type { Policy, PolicyStatement } from "../core/model";

export type Decision =
  { allowed: true } | { allowed: false; explicitDeny: { policy: string } | null };

/** Which statement decided a call: the first matching Deny, else the first matching Allow. */
export interface Verdict {
  decision: "allowed" | "explicitDeny" | "implicitDeny";
  /** The deciding statement (none for an implicit deny): its policy and its index there. */
  decidedBy: { policy: string; statement: number } | null;
}

/** Compiled globs: graders simulate thousands of calls against the same few patterns. */
const globs = new Map<string, RegExp>();

/** Glob match with "*" (any run) and "?" (one character); actions compare case-insensitively. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? "i" : "-"}${pattern}`;
  let regex = globs.get(key);
  if (!regex) {
    const escaped = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    regex = new RegExp(`^${escaped}$`, ignoreCase ? "i" : "");
    globs.set(key, regex);
  }
  return regex.test(value);
}

function statementMatches(statement: PolicyStatement, action: string, resource: string): boolean {
  return (
    statement.actions.some((a) => globMatch(a, action, true)) &&
    statement.resources.some((r) => globMatch(r, resource))
  );
}

/** The decision on `action` on `resource`, with the statement that made it. */
export function explain(policies: Policy[], action: string, resource: string): Verdict {
  let allowedBy: Verdict["decidedBy"] = null;
  for (const policy of policies) {
    for (const [index, statement] of policy.statements.entries()) {
      if (!statementMatches(statement, action, resource)) continue;
      if (statement.effect === "Deny")
        return { decision: "explicitDeny", decidedBy: { policy: policy.name, statement: index } };
      allowedBy ??= { policy: policy.name, statement: index };
    }
  }
  return allowedBy
    ? { decision: "allowed", decidedBy: allowedBy }
    : { decision: "implicitDeny", decidedBy: null };
}

export function evaluate(policies: Policy[], action: string, resource: string): Decision {
  const verdict = explain(policies, action, resource);
  if (verdict.decision === "allowed") return { allowed: true };
  return {
    allowed: false,
    explicitDeny: verdict.decidedBy && { policy: verdict.decidedBy.policy },
  };
}

/** The refusal as real clouds word it: who, which permission, on what, and why. */
export function denialMessage(
  principal: string,
  action: string,
  resource: string,
  decision: Decision,
): string {
  const why =
    !decision.allowed && decision.explicitDeny
      ? `with an explicit deny in an identity-based policy: policy/${decision.explicitDeny.policy}`
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}
