// Quotas: what the account uses of each limit, and the refusal when a call would exceed one.
import { iso, type ActionDef } from "./action";
import { CloudError } from "./errors";
import { QUOTA_NAMES, TERMINAL_INSTANCE_STATES, type CloudState, type QuotaName } from "./model";

export function quotaUsage(state: CloudState): Record<QuotaName, number> {
  const live = state.instances.filter((i) => !TERMINAL_INSTANCE_STATES.includes(i.state));
  const vcpus = live.reduce(
    (sum, i) => sum + (state.machineTypes.find((t) => t.name === i.type)?.vcpus ?? 0),
    0,
  );
  return {
    instances: live.length,
    vcpus,
    volumes: state.volumes.length,
    volumeGiB: state.volumes.reduce((sum, v) => sum + v.sizeGiB, 0),
    securityGroups: state.securityGroups.length,
    loadBalancers: state.loadBalancers.length,
    replicas: state.deployments.reduce((sum, d) => sum + d.replicas, 0),
  };
}

const QUOTA_ERRORS: Record<QuotaName, { code: string; what: string }> = {
  instances: { code: "InstanceLimitExceeded", what: "instances" },
  vcpus: { code: "VcpuLimitExceeded", what: "vCPUs" },
  volumes: { code: "VolumeLimitExceeded", what: "volumes" },
  volumeGiB: { code: "VolumeLimitExceeded", what: "GiB of volume storage" },
  securityGroups: { code: "SecurityGroupLimitExceeded", what: "security groups" },
  loadBalancers: { code: "TooManyLoadBalancers", what: "load balancers" },
  replicas: { code: "QuotaExceeded", what: "deployment replicas" },
};

/** Throws when adding `extra` to what is in use would pass the quota. */
export function checkQuota(state: CloudState, name: QuotaName, extra: number): void {
  const used = quotaUsage(state)[name];
  const limit = state.quotas[name];
  if (used + extra > limit) {
    const { code, what } = QUOTA_ERRORS[name];
    throw new CloudError(
      code,
      `You have requested more ${what} than your current limit of ${limit} allows (in use: ${used}, requested: ${extra}). Free some up or ask for a quota increase (quota '${name}').`,
      400,
    );
  }
}

export const quotaActions: ActionDef[] = [
  {
    name: "ListQuotas",
    permission: "quotas:ListQuotas",
    group: "quotas",
    verb: "list",
    summary: "Show each quota's limit and what is in use.",
    params: {},
    resource: () => "quota/*",
    columns: ["name", "used", "limit"],
    run: ({ state }) => {
      const usage = quotaUsage(state);
      return {
        items: QUOTA_NAMES.map((name) => ({ name, used: usage[name], limit: state.quotas[name] })),
        asOf: iso(state.nowMs),
      };
    },
  },
];
