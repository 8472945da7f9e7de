// IAM policy evaluation: an explicit Deny wins, then any Allow, else the call is implicitly denied.
import type { Policy, PolicyStatement } from "./state";

export type Decision =
  { allowed: true } | { allowed: false; explicitDeny: { policy: string } | null };

/** Glob match with "*" (any run) and "?" (one character); actions compare case-insensitively. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, ignoreCase ? "i" : "").test(value);
}

function statementMatches(statement: PolicyStatement, action: string, resource: string): boolean {
  return (
    statement.actions.some((a) => globMatch(a, action, true)) &&
    statement.resources.some((r) => globMatch(r, resource))
  );
}

export function evaluate(policies: Policy[], action: string, resource: string): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!statementMatches(statement, action, resource)) continue;
      if (statement.effect === "Deny")
        return { allowed: false, explicitDeny: { policy: policy.name } };
      allowed = true;
    }
  }
  return allowed ? { allowed: true } : { allowed: false, explicitDeny: null };
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
