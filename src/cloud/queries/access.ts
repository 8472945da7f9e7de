// IAM simulation over the state: what a principal may do on what, which statement decided, over the whole API.
import { ACTIONS } from "../core/actions";
import { policiesOf } from "../iam/iam";
import { explain, type Verdict } from "../iam/policy";
import type { CloudState, Policy } from "../core/model";

/** "user/NAME" or "role/NAME", as the audit log names callers. */
export type Principal = `user/${string}` | `role/${string}`;

/** Every permission the API checks, once each (GetCallerIdentity needs none). */
export const PERMISSIONS: readonly string[] = [
  ...new Set([...ACTIONS.map((a) => a.permission), "iam:AssumeRole"]),
]
  .filter((p) => p !== "sts:GetCallerIdentity")
  .sort();

/** Permissions that only read (Describe*, List*, Get*, simulations, the audit log, DNS answers). */
export function isReadOnly(permission: string): boolean {
  return /^[a-z]+:(Describe|List|Get|Simulate|LookupEvents|TestDNSAnswer)/i.test(permission);
}

/** The policies that apply to a principal; throws naming it when it does not exist. */
export function principalPolicies(state: CloudState, principal: Principal): Policy[] {
  const [kind, name] = principal.split("/", 2) as ["user" | "role", string];
  const holder =
    kind === "user"
      ? state.users.find((u) => u.name === name)
      : state.roles.find((r) => r.name === name);
  if (!holder) throw new Error(`no ${kind} called ${name} in the cloud`);
  return policiesOf(state, holder.policies);
}

/** The decision on one call, as the control plane would make it. */
export function simulate(
  state: CloudState,
  principal: Principal,
  action: string,
  resource: string,
): Verdict {
  return explain(principalPolicies(state, principal), action, resource);
}

/**
 * Resource names a call can act on in this state, in each form a caller can name them (ids and names),
 * plus each kind's "<kind>/*" (what creations and lists check) and "*".
 */
export function resourceNames(state: CloudState): string[] {
  const names = [
    ...state.instances.flatMap((i) => [`instance/${i.id}`, ...tagName("instance", i.tags)]),
    ...state.volumes.flatMap((v) => [`volume/${v.id}`, ...tagName("volume", v.tags)]),
    ...state.snapshots.map((s) => `snapshot/${s.id}`),
    ...state.networks.flatMap((n) => [`network/${n.id}`, `network/${n.name}`]),
    ...state.subnets.flatMap((s) => [`subnet/${s.id}`, `subnet/${s.name}`]),
    ...state.securityGroups.flatMap((g) => [`security-group/${g.id}`, `security-group/${g.name}`]),
    ...state.loadBalancers.map((l) => `load-balancer/${l.name}`),
    ...state.targetGroups.map((g) => `target-group/${g.name}`),
    ...state.dnsZones.flatMap((z) => [`dns-zone/${z.id}`, `dns-zone/${z.name.slice(0, -1)}`]),
    ...state.deployments.map((d) => `deployment/${d.name}`),
    ...state.policies.map((p) => `policy/${p.name}`),
    ...state.users.map((u) => `user/${u.name}`),
    ...state.roles.map((r) => `role/${r.name}`),
    ...ACTIONS.map((a) => a.resource({})).filter((r) => r.endsWith("*")),
    "*",
  ];
  return [...new Set(names)];
}

function tagName(kind: string, tags: Record<string, string>): string[] {
  return tags.Name ? [`${kind}/${tags.Name}`] : [];
}

/** One permission on one resource that a principal holds, and the statement that grants it. */
export interface Grant {
  action: string;
  resource: string;
  decidedBy: NonNullable<Verdict["decidedBy"]>;
}

/** Every (permission, resource) pair among `resources` that the principal may use. */
export function grantsOf(
  state: CloudState,
  principal: Principal,
  resources: readonly string[],
  permissions: readonly string[] = PERMISSIONS,
): Grant[] {
  const policies = principalPolicies(state, principal);
  const grants: Grant[] = [];
  for (const action of permissions) {
    for (const resource of resources) {
      const verdict = explain(policies, action, resource);
      if (verdict.decision === "allowed" && verdict.decidedBy)
        grants.push({ action, resource, decidedBy: verdict.decidedBy });
    }
  }
  return grants;
}
