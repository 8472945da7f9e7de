// Target health: what a target group's check finds, from the instance's state, image and security groups.
import { formatIp, parseCidr } from "./cidr";
import { groupsAllow } from "./network";
import { HEALTH_INITIAL_MS, type CloudState, type Target, type TargetGroup } from "./state";

export interface TargetHealth {
  instanceId: string;
  port: number;
  state: "initial" | "healthy" | "unhealthy" | "unused";
  reason: string;
  description: string;
}

/**
 * The health a target group's check finds for one target, as a pure function of the state and time.
 * NOTE: the load balancer reaches the target from its own security groups and subnets, so the
 * instance's groups must let in the check's port from one of those.
 */
export function targetHealth(state: CloudState, group: TargetGroup, target: Target): TargetHealth {
  const base = { instanceId: target.instanceId, port: target.port };
  const lbs = state.loadBalancers.filter((l) =>
    l.listeners.some((x) => x.targetGroup === group.name),
  );
  if (lbs.length === 0)
    return {
      ...base,
      state: "unused",
      reason: "Target.NotInUse",
      description: "Target group is not configured to receive traffic from the load balancer",
    };
  const instance = state.instances.find((i) => i.id === target.instanceId);
  if (!instance || instance.state === "terminated" || instance.state === "shutting-down") {
    return {
      ...base,
      state: "unused",
      reason: "Target.InvalidState",
      description: "Target is in the terminated state",
    };
  }
  if (instance.state !== "running")
    return {
      ...base,
      state: "unused",
      reason: "Target.InvalidState",
      description: `Target is in the ${instance.state} state`,
    };
  const since = Math.max(
    target.registeredAtMs,
    instance.stateSinceMs,
    ...lbs.map((l) => l.createdAtMs),
  );
  if (state.nowMs - since < HEALTH_INITIAL_MS)
    return {
      ...base,
      state: "initial",
      reason: "Elb.RegistrationInProgress",
      description: "Target registration is in progress",
    };
  const port = group.healthCheck.port ?? target.port;
  const lbSubnetCidrs = lbs
    .flatMap((l) => l.subnetIds)
    .map((id) => state.subnets.find((s) => s.id === id)?.cidr)
    .filter((c): c is string => c !== undefined);
  const reachable =
    groupsAllow(state, instance.securityGroupIds, {
      protocol: "tcp",
      port,
      sourceGroupIds: lbs.flatMap((l) => l.securityGroupIds),
    }) ||
    lbSubnetCidrs.some((cidr) =>
      groupsAllow(state, instance.securityGroupIds, {
        protocol: "tcp",
        port,
        sourceIp: ipOf(cidr),
      }),
    );
  if (!reachable)
    return {
      ...base,
      state: "unhealthy",
      reason: "Target.Timeout",
      description: "Request timed out",
    };
  const listener = state.images
    .find((m) => m.id === instance.imageId)
    ?.listens.find((l) => l.port === port && l.protocol === "tcp");
  if (!listener)
    return {
      ...base,
      state: "unhealthy",
      reason: "Target.FailedHealthChecks",
      description: "Health checks failed (connection refused)",
    };
  if (
    group.healthCheck.protocol === "http" &&
    !listener.httpPaths.includes(group.healthCheck.path)
  ) {
    return {
      ...base,
      state: "unhealthy",
      reason: "Target.ResponseCodeMismatch",
      description: "Health checks failed with these codes: [404]",
    };
  }
  return { ...base, state: "healthy", reason: "", description: "" };
}

/** Where the load balancer's node sits in one of its subnets (an address the subnet does not hand out first). */
const LB_NODE_HOST_INDEX = 5;

function ipOf(cidr: string): string {
  return formatIp(parseCidr(cidr).base + LB_NODE_HOST_INDEX);
}
