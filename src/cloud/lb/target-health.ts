// Target health: what a target group's check finds, from the instance's state, image and security groups.
import { formatIp, parseCidr } from "../network/cidr";
import { groupsAllow } from "../network/network";
import {
  HEALTH_INITIAL_MS,
  type CloudState,
  type HealthCheck,
  type Instance,
  type LoadBalancer,
  type Target,
  type TargetGroup,
} from "../core/model";

export interface TargetHealth {
  instanceId: string;
  port: number;
  state: "initial" | "healthy" | "unhealthy" | "unused";
  reason: string;
  description: string;
}

/** What the check finds, without which target it speaks of. */
type Health = Pick<TargetHealth, "state" | "reason" | "description">;

/**
 * The health a target group's check finds for one target, as a pure function of the state and time:
 * in use by a load balancer, the instance running, registered long enough, reachable, answering.
 */
export function targetHealth(state: CloudState, group: TargetGroup, target: Target): TargetHealth {
  return { instanceId: target.instanceId, port: target.port, ...healthOf(state, group, target) };
}

function healthOf(state: CloudState, group: TargetGroup, target: Target): Health {
  const lbs = state.loadBalancers.filter((l) =>
    l.listeners.some((x) => x.targetGroup === group.name),
  );
  if (lbs.length === 0)
    return {
      state: "unused",
      reason: "Target.NotInUse",
      description: "Target group is not configured to receive traffic from the load balancer",
    };
  const instance = state.instances.find((i) => i.id === target.instanceId);
  if (instance?.state !== "running") return notRunning(instance);
  const since = Math.max(
    target.registeredAtMs,
    instance.stateSinceMs,
    ...lbs.map((l) => l.createdAtMs),
  );
  if (state.nowMs - since < HEALTH_INITIAL_MS)
    return {
      state: "initial",
      reason: "Elb.RegistrationInProgress",
      description: "Target registration is in progress",
    };
  const port = group.healthCheck.port ?? target.port;
  if (!lbReaches(state, lbs, instance, port))
    return { state: "unhealthy", reason: "Target.Timeout", description: "Request timed out" };
  return checkAnswer(state, group.healthCheck, instance, port);
}

/** A target whose instance is gone, or is not running. */
function notRunning(instance: Instance | undefined): Health {
  const gone = !instance || instance.state === "terminated" || instance.state === "shutting-down";
  return {
    state: "unused",
    reason: "Target.InvalidState",
    description: `Target is in the ${gone ? "terminated" : instance.state} state`,
  };
}

/**
 * Whether the check's packets reach the instance's `port`. NOTE: the load balancer reaches the target
 * from its own security groups and subnets, so the instance's groups must let in the check's port
 * from one of those.
 */
function lbReaches(
  state: CloudState,
  lbs: LoadBalancer[],
  instance: Instance,
  port: number,
): boolean {
  const fromGroups = groupsAllow(state, instance.securityGroupIds, {
    protocol: "tcp",
    port,
    sourceGroupIds: lbs.flatMap((l) => l.securityGroupIds),
  });
  if (fromGroups) return true;
  return lbs
    .flatMap((l) => l.subnetIds)
    .map((id) => state.subnets.find((s) => s.id === id)?.cidr)
    .filter((c): c is string => c !== undefined)
    .some((cidr) =>
      groupsAllow(state, instance.securityGroupIds, {
        protocol: "tcp",
        port,
        sourceIp: ipOf(cidr),
      }),
    );
}

/** What the instance's image answers the check on `port`: refused, 404 for a path it does not serve, or healthy. */
function checkAnswer(
  state: CloudState,
  check: HealthCheck,
  instance: Instance,
  port: number,
): Health {
  const listener = state.images
    .find((m) => m.id === instance.imageId)
    ?.listens.find((l) => l.port === port && l.protocol === "tcp");
  if (!listener)
    return {
      state: "unhealthy",
      reason: "Target.FailedHealthChecks",
      description: "Health checks failed (connection refused)",
    };
  if (check.protocol === "http" && !listener.httpPaths.includes(check.path))
    return {
      state: "unhealthy",
      reason: "Target.ResponseCodeMismatch",
      description: "Health checks failed with these codes: [404]",
    };
  return { state: "healthy", reason: "", description: "" };
}

/** Where the load balancer's node sits in one of its subnets (an address the subnet does not hand out first). */
const LB_NODE_HOST_INDEX = 5;

function ipOf(cidr: string): string {
  return formatIp(parseCidr(cidr).base + LB_NODE_HOST_INDEX);
}
