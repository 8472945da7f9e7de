// Load balancers, listeners and target groups (target health: target-health.ts).
import { int, list, optStr, str, type ActionDef } from "../core/action";
import { findInstance } from "../compute/instances";
import { CloudError, invalidParameter } from "../core/errors";
import { stableHash } from "../core/ids";
import { findNetwork, findSecurityGroup, findSubnet, portParam } from "../network/network";
import { targetHealth } from "./target-health";
import { checkQuota } from "../core/quotas";
import type { CloudState, LoadBalancer, TargetGroup } from "../core/model";

export function findLoadBalancer(state: CloudState, name: string): LoadBalancer {
  const lb = state.loadBalancers.find((l) => l.name === name || l.dnsName === name);
  if (!lb)
    throw new CloudError("LoadBalancerNotFound", `Load balancers '[${name}]' not found`, 404);
  return lb;
}

export function findTargetGroup(state: CloudState, name: string): TargetGroup {
  const group = state.targetGroups.find((g) => g.name === name);
  if (!group)
    throw new CloudError("TargetGroupNotFound", `Target groups '[${name}]' not found`, 404);
  return group;
}

const lbView = (state: CloudState, lb: LoadBalancer) => ({
  name: lb.name,
  dnsName: lb.dnsName,
  state: lb.state,
  networkId: lb.networkId,
  subnets: lb.subnetIds,
  securityGroups: lb.securityGroupIds,
  listeners: lb.listeners.map((l) => ({
    port: l.port,
    protocol: l.protocol,
    targetGroup: l.targetGroup,
  })),
  healthyTargets: lb.listeners.flatMap((l) => {
    const group = state.targetGroups.find((g) => g.name === l.targetGroup);
    return group
      ? group.targets
          .filter((t) => targetHealth(state, group, t).state === "healthy")
          .map((t) => t.instanceId)
      : [];
  }).length,
});

const tgView = (g: TargetGroup) => ({
  name: g.name,
  networkId: g.networkId,
  protocol: g.protocol,
  port: g.port,
  healthCheck: `${g.healthCheck.protocol}:${g.healthCheck.port ?? "traffic-port"}${g.healthCheck.protocol === "http" ? g.healthCheck.path : ""}`,
  targets: g.targets.length,
});

const lbParam = {
  "load-balancer": {
    kind: "string" as const,
    required: true,
    positional: true,
    help: "load balancer name",
  },
};
const tgParam = {
  "target-group": {
    kind: "string" as const,
    required: true,
    positional: true,
    help: "target group name",
  },
};

export const lbActions: ActionDef[] = [
  {
    name: "DescribeLoadBalancers",
    permission: "lb:DescribeLoadBalancers",
    group: "lb",
    verb: "list",
    summary: "List load balancers.",
    params: {},
    resource: () => "load-balancer/*",
    columns: ["name", "state", "dnsName", "healthyTargets"],
    run: (ctx) => ({
      items: ctx.state.loadBalancers
        .filter((l) => l.region === ctx.region)
        .map((l) => lbView(ctx.state, l)),
    }),
  },
  {
    name: "DescribeLoadBalancer",
    permission: "lb:DescribeLoadBalancers",
    group: "lb",
    verb: "describe",
    summary: "Show one load balancer and its listeners.",
    params: lbParam,
    resource: (p) => `load-balancer/${String(p["load-balancer"])}`,
    run: ({ state }, params) =>
      lbView(state, findLoadBalancer(state, str(params, "load-balancer"))),
  },
  {
    name: "CreateLoadBalancer",
    permission: "lb:CreateLoadBalancer",
    group: "lb",
    verb: "create",
    summary: "Create a load balancer in subnets of one network (provisioning, then active).",
    params: {
      name: { kind: "string", required: true, help: "its name" },
      subnets: { kind: "list", required: true, help: "subnet ids or names, comma-separated" },
      "security-groups": { kind: "list", help: "security group ids or names" },
    },
    resource: (p) => `load-balancer/${String(p.name)}`,
    run: (ctx, params) => {
      const { state } = ctx;
      const name = str(params, "name");
      if (!/^[a-zA-Z0-9-]{1,32}$/.test(name))
        throw invalidParameter(
          `The load balancer name '${name}' is invalid: letters, digits and dashes, at most 32.`,
        );
      if (state.loadBalancers.some((l) => l.name === name))
        throw new CloudError(
          "DuplicateLoadBalancerName",
          `A load balancer with the same name '${name}' exists`,
          409,
        );
      const subnets = list(params, "subnets", true).map((s) => findSubnet(state, s));
      const networkId = subnets[0]?.networkId ?? "";
      if (subnets.some((s) => s.networkId !== networkId))
        throw invalidParameter("All subnets of a load balancer must be in the same network.");
      const groups = list(params, "security-groups").map((g) => findSecurityGroup(state, g));
      if (groups.some((g) => g.networkId !== networkId))
        throw invalidParameter("Security groups must be in the load balancer's network.");
      checkQuota(state, "loadBalancers", 1);
      const lb: LoadBalancer = {
        name,
        region: ctx.region,
        networkId,
        subnetIds: subnets.map((s) => s.id),
        securityGroupIds: groups.map((g) => g.id),
        dnsName: `${name}-${stableHash(name).slice(0, 6)}.lb.${ctx.region}.cloud.internal`,
        state: "provisioning",
        createdAtMs: state.nowMs,
        listeners: [],
      };
      state.loadBalancers.push(lb);
      return lbView(state, lb);
    },
  },
  {
    name: "DeleteLoadBalancer",
    permission: "lb:DeleteLoadBalancer",
    group: "lb",
    verb: "delete",
    summary: "Delete a load balancer and its listeners.",
    params: lbParam,
    resource: (p) => `load-balancer/${String(p["load-balancer"])}`,
    run: ({ state }, params) => {
      const lb = findLoadBalancer(state, str(params, "load-balancer"));
      state.loadBalancers.splice(state.loadBalancers.indexOf(lb), 1);
      return { deleted: lb.name };
    },
  },
  {
    name: "SetLoadBalancerSecurityGroups",
    permission: "lb:SetSecurityGroups",
    group: "lb",
    verb: "set-security-groups",
    summary: "Replace the security groups of a load balancer.",
    params: {
      ...lbParam,
      "security-groups": { kind: "list", required: true, help: "group ids or names" },
    },
    resource: (p) => `load-balancer/${String(p["load-balancer"])}`,
    run: ({ state }, params) => {
      const lb = findLoadBalancer(state, str(params, "load-balancer"));
      const groups = list(params, "security-groups", true).map((g) => findSecurityGroup(state, g));
      if (groups.some((g) => g.networkId !== lb.networkId))
        throw invalidParameter("Security groups must be in the load balancer's network.");
      lb.securityGroupIds = groups.map((g) => g.id);
      return lbView(state, lb);
    },
  },
  {
    name: "CreateListener",
    permission: "lb:CreateListener",
    group: "lb",
    verb: "add-listener",
    summary: "Forward a port of the load balancer to a target group.",
    params: {
      ...lbParam,
      port: { kind: "int", required: true, help: "port the load balancer listens on" },
      protocol: { kind: "string", help: "http or tcp (default http)" },
      "target-group": { kind: "string", required: true, help: "target group name" },
    },
    resource: (p) => `load-balancer/${String(p["load-balancer"])}`,
    run: ({ state }, params) => {
      const lb = findLoadBalancer(state, str(params, "load-balancer"));
      const port = portParam(params, "port");
      const group = findTargetGroup(state, str(params, "target-group"));
      if (group.networkId !== lb.networkId)
        throw invalidParameter(
          `Target group '${group.name}' is in another network than load balancer '${lb.name}'.`,
        );
      if (lb.listeners.some((l) => l.port === port))
        throw new CloudError(
          "DuplicateListener",
          `A listener already exists on port ${port} of '${lb.name}'`,
          409,
        );
      const protocol = (optStr(params, "protocol") ?? "http") as "http" | "tcp";
      if (protocol !== "http" && protocol !== "tcp")
        throw invalidParameter(`Protocol '${protocol}' is not supported: use http or tcp.`);
      lb.listeners.push({ port, protocol, targetGroup: group.name });
      return lbView(state, lb);
    },
  },
  {
    name: "DeleteListener",
    permission: "lb:DeleteListener",
    group: "lb",
    verb: "remove-listener",
    summary: "Remove the listener on a port.",
    params: { ...lbParam, port: { kind: "int", required: true, help: "the listener's port" } },
    resource: (p) => `load-balancer/${String(p["load-balancer"])}`,
    run: ({ state }, params) => {
      const lb = findLoadBalancer(state, str(params, "load-balancer"));
      const port = int(params, "port");
      const index = lb.listeners.findIndex((l) => l.port === port);
      if (index < 0)
        throw new CloudError(
          "ListenerNotFound",
          `No listener on port ${port} of '${lb.name}'`,
          404,
        );
      lb.listeners.splice(index, 1);
      return lbView(state, lb);
    },
  },
  {
    name: "DescribeTargetGroups",
    permission: "lb:DescribeTargetGroups",
    group: "target-groups",
    verb: "list",
    summary: "List target groups.",
    params: {},
    resource: () => "target-group/*",
    columns: ["name", "protocol", "port", "healthCheck", "targets"],
    run: ({ state }) => ({ items: state.targetGroups.map(tgView) }),
  },
  {
    name: "CreateTargetGroup",
    permission: "lb:CreateTargetGroup",
    group: "target-groups",
    verb: "create",
    summary: "Create a target group with a health check.",
    params: {
      name: { kind: "string", required: true, help: "its name" },
      network: { kind: "string", required: true, help: "network id or name" },
      port: { kind: "int", required: true, help: "port the targets serve" },
      protocol: { kind: "string", help: "http or tcp (default http)" },
      "health-path": { kind: "string", help: "path of the HTTP health check (default /)" },
      "health-port": { kind: "int", help: "port of the health check (default: the traffic port)" },
    },
    resource: (p) => `target-group/${String(p.name)}`,
    run: ({ state }, params) => {
      const name = str(params, "name");
      if (state.targetGroups.some((g) => g.name === name))
        throw new CloudError(
          "DuplicateTargetGroupName",
          `A target group with the same name '${name}' exists`,
          409,
        );
      const protocol = (optStr(params, "protocol") ?? "http") as "http" | "tcp";
      if (protocol !== "http" && protocol !== "tcp")
        throw invalidParameter(`Protocol '${protocol}' is not supported: use http or tcp.`);
      const group: TargetGroup = {
        name,
        networkId: findNetwork(state, str(params, "network")).id,
        protocol,
        port: portParam(params, "port"),
        healthCheck: {
          protocol,
          path: healthPath(params),
          port: params["health-port"] === undefined ? null : portParam(params, "health-port"),
        },
        targets: [],
      };
      state.targetGroups.push(group);
      return tgView(group);
    },
  },
  {
    name: "ModifyTargetGroup",
    permission: "lb:ModifyTargetGroup",
    group: "target-groups",
    verb: "set-health-check",
    summary: "Change the health check: --health-path /healthz, --health-port 8080.",
    params: {
      ...tgParam,
      "health-path": { kind: "string", help: "path of the HTTP health check" },
      "health-port": { kind: "int", help: "port of the health check" },
    },
    resource: (p) => `target-group/${String(p["target-group"])}`,
    run: ({ state }, params) => {
      const group = findTargetGroup(state, str(params, "target-group"));
      if (params["health-path"] === undefined && params["health-port"] === undefined)
        throw invalidParameter("Give --health-path or --health-port.");
      if (params["health-path"] !== undefined) group.healthCheck.path = healthPath(params);
      if (params["health-port"] !== undefined)
        group.healthCheck.port = portParam(params, "health-port");
      return tgView(group);
    },
  },
  {
    name: "DeleteTargetGroup",
    permission: "lb:DeleteTargetGroup",
    group: "target-groups",
    verb: "delete",
    summary: "Delete a target group no listener uses.",
    params: tgParam,
    resource: (p) => `target-group/${String(p["target-group"])}`,
    run: ({ state }, params) => {
      const group = findTargetGroup(state, str(params, "target-group"));
      const lb = state.loadBalancers.find((l) =>
        l.listeners.some((x) => x.targetGroup === group.name),
      );
      if (lb)
        throw new CloudError(
          "ResourceInUse",
          `Target group '${group.name}' is currently in use by a listener of '${lb.name}'`,
          409,
        );
      state.targetGroups.splice(state.targetGroups.indexOf(group), 1);
      return { deleted: group.name };
    },
  },
  {
    name: "RegisterTargets",
    permission: "lb:RegisterTargets",
    group: "target-groups",
    verb: "register",
    summary: "Add instances to a target group.",
    params: {
      ...tgParam,
      instances: { kind: "list", required: true, help: "instance ids, comma-separated" },
      port: { kind: "int", help: "port (default: the group's)" },
    },
    resource: (p) => `target-group/${String(p["target-group"])}`,
    run: ({ state }, params) => {
      const group = findTargetGroup(state, str(params, "target-group"));
      const port = params.port === undefined ? group.port : portParam(params, "port");
      for (const id of list(params, "instances", true)) {
        const instance = findInstance(state, id);
        if (instance.networkId !== group.networkId)
          throw new CloudError(
            "InvalidTarget",
            `The following targets are not in the target group's network '${group.networkId}': '${instance.id}'`,
          );
        if (instance.state === "terminated")
          throw new CloudError(
            "InvalidTarget",
            `The following targets are not in a running state and cannot be registered: '${instance.id}'`,
          );
        if (!group.targets.some((t) => t.instanceId === instance.id && t.port === port))
          group.targets.push({ instanceId: instance.id, port, registeredAtMs: state.nowMs });
      }
      return tgView(group);
    },
  },
  {
    name: "DeregisterTargets",
    permission: "lb:DeregisterTargets",
    group: "target-groups",
    verb: "deregister",
    summary: "Remove instances from a target group.",
    params: {
      ...tgParam,
      instances: { kind: "list", required: true, help: "instance ids, comma-separated" },
    },
    resource: (p) => `target-group/${String(p["target-group"])}`,
    run: ({ state }, params) => {
      const group = findTargetGroup(state, str(params, "target-group"));
      for (const id of list(params, "instances", true)) {
        const index = group.targets.findIndex((t) => t.instanceId === id);
        if (index < 0)
          throw new CloudError(
            "InvalidTarget",
            `The target '${id}' is not registered in '${group.name}'`,
          );
        group.targets.splice(index, 1);
      }
      return tgView(group);
    },
  },
  {
    name: "DescribeTargetHealth",
    permission: "lb:DescribeTargetHealth",
    group: "target-groups",
    verb: "health",
    summary: "Show each target's health and, when unhealthy, why.",
    params: tgParam,
    resource: (p) => `target-group/${String(p["target-group"])}`,
    columns: ["instanceId", "port", "state", "reason", "description"],
    run: ({ state }, params) => {
      const group = findTargetGroup(state, str(params, "target-group"));
      return { items: group.targets.map((t) => targetHealth(state, group, t)) };
    },
  },
];

function healthPath(params: Parameters<ActionDef["run"]>[1]): string {
  const path = optStr(params, "health-path") ?? "/";
  if (!path.startsWith("/"))
    throw invalidParameter(`The health check path '${path}' must start with /`);
  return path;
}
