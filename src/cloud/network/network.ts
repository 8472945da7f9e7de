// Networks, subnets and security groups: address plans, dependencies, and what a group lets in.
import { int, optStr, str, type ActionContext, type ActionDef, type Params } from "../core/action";
import { cidrContains, cidrContainsIp, cidrsOverlap, parseCidr, parseIp } from "./cidr";
import {
  alreadyExists,
  CloudError,
  dependencyViolation,
  invalidParameter,
  notFound,
} from "../core/errors";
import { newId } from "../core/ids";
import { checkQuota } from "../core/quotas";
import {
  TERMINAL_INSTANCE_STATES,
  type CloudState,
  type RuleProtocol,
  type SecurityGroup,
  type SecurityRule,
  type Subnet,
} from "../core/model";

export function findNetwork(state: CloudState, id: string) {
  const network = state.networks.find((n) => n.id === id || n.name === id);
  if (!network) throw notFound("InvalidNetworkID.NotFound", "network ID", id);
  return network;
}

export function findSubnet(state: CloudState, id: string): Subnet {
  const subnet = state.subnets.find((s) => s.id === id || s.name === id);
  if (!subnet) throw notFound("InvalidSubnetID.NotFound", "subnet ID", id);
  return subnet;
}

export function findSecurityGroup(state: CloudState, id: string): SecurityGroup {
  const group = state.securityGroups.find((g) => g.id === id || g.name === id);
  if (!group) throw notFound("InvalidGroup.NotFound", "security group", id);
  return group;
}

const PROTOCOLS: RuleProtocol[] = ["tcp", "udp", "icmp", "all"];

function ruleMatches(rule: SecurityRule, protocol: RuleProtocol, port: number): boolean {
  if (rule.protocol === "all") return true;
  if (rule.protocol !== protocol) return false;
  return protocol === "icmp" || (port >= rule.fromPort && port <= rule.toPort);
}

/** A rule that lets a flow in, and the group it belongs to. */
export interface Admission {
  group: SecurityGroup;
  rule: SecurityRule;
}

/** Every rule of `groupIds` that lets in `protocol`/`port`, whatever its source. */
export function rulesFor(
  state: CloudState,
  groupIds: string[],
  protocol: RuleProtocol,
  port: number,
): Admission[] {
  return groupIds.flatMap((id) => {
    const group = state.securityGroups.find((g) => g.id === id);
    if (!group) return [];
    return group.ingress
      .filter((rule) => ruleMatches(rule, protocol, port))
      .map((rule) => ({ group, rule }));
  });
}

/**
 * The rules of `groupIds` that let in a flow of `protocol`/`port` from `sourceIp` (or from a member
 * of one of `sourceGroupIds`). NOTE: groups are stateful, so return traffic needs no rule.
 */
export function admissions(
  state: CloudState,
  groupIds: string[],
  flow: { protocol: RuleProtocol; port: number; sourceIp?: string; sourceGroupIds?: string[] },
): Admission[] {
  const ip = flow.sourceIp === undefined ? undefined : parseIp(flow.sourceIp);
  return rulesFor(state, groupIds, flow.protocol, flow.port).filter(({ rule }) => {
    if (rule.source.startsWith("sg-")) return flow.sourceGroupIds?.includes(rule.source) ?? false;
    if (flow.sourceIp === undefined) return rule.source === "0.0.0.0/0";
    return ip !== undefined && cidrContainsIp(parseCidr(rule.source), ip);
  });
}

/** Whether any of `groupIds` lets the flow in (see admissions()). */
export function groupsAllow(
  state: CloudState,
  groupIds: string[],
  flow: { protocol: RuleProtocol; port: number; sourceIp?: string; sourceGroupIds?: string[] },
): boolean {
  return admissions(state, groupIds, flow).length > 0;
}

function parseRule(state: CloudState, group: SecurityGroup, params: Params): SecurityRule {
  const protocol = str(params, "protocol") as RuleProtocol;
  if (!PROTOCOLS.includes(protocol)) {
    throw invalidParameter(
      `Invalid value '${protocol}' for IP protocol. Use one of: ${PROTOCOLS.join(", ")}`,
    );
  }
  const source = str(params, "source");
  if (source.startsWith("sg-") || state.securityGroups.some((g) => g.name === source)) {
    const other = findSecurityGroup(state, source);
    if (other.networkId !== group.networkId) {
      throw invalidParameter(
        `You have specified two resources that belong to different networks: ${group.id} and ${other.id}`,
      );
    }
  } else {
    parseCidr(source, "source");
  }
  const sourceId = source.startsWith("sg-")
    ? source
    : (state.securityGroups.find((g) => g.name === source)?.id ?? source);
  const portText = optStr(params, "port");
  let fromPort = 0;
  let toPort = 65535;
  if (protocol === "tcp" || protocol === "udp") {
    if (portText === undefined)
      throw invalidParameter(
        "A port or port range (--port 80 or --port 8000-8100) is required for tcp and udp rules",
      );
    const match = /^(\d+)(?:-(\d+))?$/.exec(portText);
    fromPort = Number(match?.[1]);
    toPort = Number(match?.[2] ?? match?.[1]);
    if (!match || fromPort > toPort || toPort > 65535) {
      throw invalidParameter(
        `Invalid port range '${portText}': expected a port (80) or a range (8000-8100) within 0-65535`,
      );
    }
  }
  return {
    protocol,
    fromPort,
    toPort,
    source: sourceId,
    description: optStr(params, "description") ?? "",
  };
}

const sameRule = (a: SecurityRule, b: SecurityRule): boolean =>
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.source === b.source;

const formatRule = (rule: SecurityRule) => ({
  protocol: rule.protocol,
  ports:
    rule.protocol === "all" || rule.protocol === "icmp"
      ? "all"
      : rule.fromPort === rule.toPort
        ? String(rule.fromPort)
        : `${rule.fromPort}-${rule.toPort}`,
  source: rule.source,
  description: rule.description,
});

const groupView = (g: SecurityGroup) => ({
  id: g.id,
  name: g.name,
  networkId: g.networkId,
  description: g.description,
  ingress: g.ingress.map(formatRule),
  rules: g.ingress.length,
});

function regionNetworks(ctx: ActionContext) {
  return ctx.state.networks.filter((n) => n.region === ctx.region);
}

export const networkActions: ActionDef[] = [
  {
    name: "DescribeNetworks",
    permission: "network:DescribeNetworks",
    group: "networks",
    verb: "list",
    summary: "List the networks of the region.",
    params: {},
    resource: () => "network/*",
    columns: ["id", "name", "cidr", "region"],
    run: (ctx) => ({ items: regionNetworks(ctx) }),
  },
  {
    name: "CreateNetwork",
    permission: "network:CreateNetwork",
    group: "networks",
    verb: "create",
    summary: "Create a network with an address range.",
    params: {
      name: { kind: "string", required: true, help: "name of the network" },
      cidr: { kind: "string", required: true, help: "address range, e.g. 10.1.0.0/16" },
    },
    resource: () => "network/*",
    run: (ctx, params) => {
      const name = str(params, "name");
      const cidr = str(params, "cidr");
      const parsed = parseCidr(cidr);
      if (parsed.prefix < 16 || parsed.prefix > 28)
        throw invalidParameter(
          `The CIDR '${cidr}' is invalid: a network's prefix must be between /16 and /28`,
        );
      if (ctx.state.networks.some((n) => n.name === name)) throw alreadyExists("network", name);
      const network = { id: newId(ctx.state, "net"), name, region: ctx.region, cidr, tags: {} };
      ctx.state.networks.push(network);
      return network;
    },
  },
  {
    name: "DeleteNetwork",
    permission: "network:DeleteNetwork",
    group: "networks",
    verb: "delete",
    summary: "Delete a network that holds no subnets or security groups.",
    params: {
      network: { kind: "string", required: true, positional: true, help: "network id or name" },
    },
    resource: (p) => `network/${String(p.network)}`,
    run: ({ state }, params) => {
      const network = findNetwork(state, str(params, "network"));
      const subnet = state.subnets.find((s) => s.networkId === network.id);
      if (subnet) throw dependencyViolation(network.id, `subnet ${subnet.id} is in it`);
      const group = state.securityGroups.find((g) => g.networkId === network.id);
      if (group) throw dependencyViolation(network.id, `security group ${group.id} is in it`);
      state.networks.splice(state.networks.indexOf(network), 1);
      return { deleted: network.id };
    },
  },
  {
    name: "DescribeSubnets",
    permission: "network:DescribeSubnets",
    group: "subnets",
    verb: "list",
    summary: "List subnets (of one network with --network).",
    params: { network: { kind: "string", help: "only this network's subnets" } },
    resource: () => "subnet/*",
    columns: ["id", "name", "networkId", "zone", "cidr", "public"],
    run: ({ state }, params) => {
      const network = optStr(params, "network");
      const networkId = network === undefined ? undefined : findNetwork(state, network).id;
      return {
        items: state.subnets.filter((s) => networkId === undefined || s.networkId === networkId),
      };
    },
  },
  {
    name: "CreateSubnet",
    permission: "network:CreateSubnet",
    group: "subnets",
    verb: "create",
    summary: "Create a subnet of a network in one zone.",
    params: {
      network: { kind: "string", required: true, help: "network id or name" },
      name: { kind: "string", required: true, help: "name of the subnet" },
      zone: { kind: "string", required: true, help: "availability zone, e.g. eu-west-1a" },
      cidr: { kind: "string", required: true, help: "address range inside the network's" },
      public: { kind: "bool", help: "instances launched here get a public address" },
    },
    resource: () => "subnet/*",
    run: (ctx, params) => {
      const { state } = ctx;
      const network = findNetwork(state, str(params, "network"));
      const zone = str(params, "zone");
      const region = state.regions.find((r) => r.name === network.region);
      if (!region?.zones.includes(zone)) {
        throw invalidParameter(
          `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${region?.zones.join(", ")}.`,
        );
      }
      const cidr = str(params, "cidr");
      const parsed = parseCidr(cidr);
      if (!cidrContains(parseCidr(network.cidr), parsed))
        throw new CloudError(
          "InvalidSubnet.Range",
          `The CIDR '${cidr}' is invalid: it is not inside the network's range ${network.cidr}.`,
        );
      const clash = state.subnets.find(
        (s) => s.networkId === network.id && cidrsOverlap(parseCidr(s.cidr), parsed),
      );
      if (clash)
        throw new CloudError(
          "InvalidSubnet.Conflict",
          `The CIDR '${cidr}' conflicts with another subnet (${clash.id}, ${clash.cidr}).`,
          409,
        );
      const name = str(params, "name");
      if (state.subnets.some((s) => s.name === name)) throw alreadyExists("subnet", name);
      const subnet: Subnet = {
        id: newId(state, "subnet"),
        name,
        networkId: network.id,
        zone,
        cidr,
        public: params.public === true,
        tags: {},
      };
      state.subnets.push(subnet);
      return subnet;
    },
  },
  {
    name: "DeleteSubnet",
    permission: "network:DeleteSubnet",
    group: "subnets",
    verb: "delete",
    summary: "Delete a subnet that no instance or load balancer uses.",
    params: {
      subnet: { kind: "string", required: true, positional: true, help: "subnet id or name" },
    },
    resource: (p) => `subnet/${String(p.subnet)}`,
    run: ({ state }, params) => {
      const subnet = findSubnet(state, str(params, "subnet"));
      const instance = state.instances.find(
        (i) => i.subnetId === subnet.id && i.state !== "terminated",
      );
      if (instance) throw dependencyViolation(subnet.id, `instance ${instance.id} is in it`);
      const lb = state.loadBalancers.find((l) => l.subnetIds.includes(subnet.id));
      if (lb) throw dependencyViolation(subnet.id, `load balancer ${lb.name} uses it`);
      state.subnets.splice(state.subnets.indexOf(subnet), 1);
      return { deleted: subnet.id };
    },
  },
  {
    name: "DescribeSecurityGroups",
    permission: "network:DescribeSecurityGroups",
    group: "security-groups",
    verb: "list",
    summary: "List security groups.",
    params: { network: { kind: "string", help: "only this network's groups" } },
    resource: () => "security-group/*",
    columns: ["id", "name", "networkId", "rules", "description"],
    run: ({ state }, params) => {
      const network = optStr(params, "network");
      const networkId = network === undefined ? undefined : findNetwork(state, network).id;
      return {
        items: state.securityGroups
          .filter((g) => networkId === undefined || g.networkId === networkId)
          .map(groupView),
      };
    },
  },
  {
    name: "DescribeSecurityGroup",
    permission: "network:DescribeSecurityGroups",
    group: "security-groups",
    verb: "describe",
    summary: "Show one security group and its ingress rules.",
    params: {
      group: { kind: "string", required: true, positional: true, help: "group id or name" },
    },
    resource: (p) => `security-group/${String(p.group)}`,
    run: ({ state }, params) => groupView(findSecurityGroup(state, str(params, "group"))),
  },
  {
    name: "CreateSecurityGroup",
    permission: "network:CreateSecurityGroup",
    group: "security-groups",
    verb: "create",
    summary: "Create an empty security group (it lets nothing in).",
    params: {
      network: { kind: "string", required: true, help: "network id or name" },
      name: { kind: "string", required: true, help: "name of the group" },
      description: { kind: "string", help: "what the group is for" },
    },
    resource: () => "security-group/*",
    run: ({ state }, params) => {
      const network = findNetwork(state, str(params, "network"));
      const name = str(params, "name");
      if (state.securityGroups.some((g) => g.name === name && g.networkId === network.id)) {
        throw new CloudError(
          "InvalidGroup.Duplicate",
          `The security group '${name}' already exists for network '${network.id}'`,
          409,
        );
      }
      checkQuota(state, "securityGroups", 1);
      const group: SecurityGroup = {
        id: newId(state, "sg"),
        name,
        networkId: network.id,
        description: optStr(params, "description") ?? "",
        ingress: [],
        tags: {},
      };
      state.securityGroups.push(group);
      return groupView(group);
    },
  },
  {
    name: "DeleteSecurityGroup",
    permission: "network:DeleteSecurityGroup",
    group: "security-groups",
    verb: "delete",
    summary: "Delete a security group that nothing uses or refers to.",
    params: {
      group: { kind: "string", required: true, positional: true, help: "group id or name" },
    },
    resource: (p) => `security-group/${String(p.group)}`,
    run: ({ state }, params) => {
      const group = findSecurityGroup(state, str(params, "group"));
      const instance = state.instances.find(
        (i) => i.securityGroupIds.includes(group.id) && !TERMINAL_INSTANCE_STATES.includes(i.state),
      );
      if (instance) throw dependencyViolation(group.id, `instance ${instance.id} uses it`);
      const lb = state.loadBalancers.find((l) => l.securityGroupIds.includes(group.id));
      if (lb) throw dependencyViolation(group.id, `load balancer ${lb.name} uses it`);
      const referrer = state.securityGroups.find(
        (g) => g.id !== group.id && g.ingress.some((r) => r.source === group.id),
      );
      if (referrer)
        throw dependencyViolation(group.id, `a rule of security group ${referrer.id} refers to it`);
      state.securityGroups.splice(state.securityGroups.indexOf(group), 1);
      return { deleted: group.id };
    },
  },
  {
    name: "AuthorizeSecurityGroupIngress",
    permission: "network:AuthorizeSecurityGroupIngress",
    group: "security-groups",
    verb: "allow",
    summary:
      "Add an ingress rule: --protocol tcp --port 80 --source 10.0.0.0/16 (or --source sg-…).",
    params: {
      group: { kind: "string", required: true, positional: true, help: "group id or name" },
      protocol: { kind: "string", required: true, help: "tcp, udp, icmp or all" },
      port: { kind: "string", help: "port or range (80, 8000-8100); tcp and udp only" },
      source: { kind: "string", required: true, help: "CIDR block or security group id" },
      description: { kind: "string", help: "why the rule exists" },
    },
    resource: (p) => `security-group/${String(p.group)}`,
    run: ({ state }, params) => {
      const group = findSecurityGroup(state, str(params, "group"));
      const rule = parseRule(state, group, params);
      if (group.ingress.some((r) => sameRule(r, rule))) {
        throw new CloudError(
          "InvalidPermission.Duplicate",
          `the specified rule "peer: ${rule.source}, ${rule.protocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW" already exists`,
          409,
        );
      }
      group.ingress.push(rule);
      return groupView(group);
    },
  },
  {
    name: "RevokeSecurityGroupIngress",
    permission: "network:RevokeSecurityGroupIngress",
    group: "security-groups",
    verb: "revoke",
    summary: "Remove an ingress rule (same flags as allow).",
    params: {
      group: { kind: "string", required: true, positional: true, help: "group id or name" },
      protocol: { kind: "string", required: true, help: "tcp, udp, icmp or all" },
      port: { kind: "string", help: "port or range; tcp and udp only" },
      source: { kind: "string", required: true, help: "CIDR block or security group id" },
    },
    resource: (p) => `security-group/${String(p.group)}`,
    run: ({ state }, params) => {
      const group = findSecurityGroup(state, str(params, "group"));
      const rule = parseRule(state, group, params);
      const index = group.ingress.findIndex((r) => sameRule(r, rule));
      if (index < 0)
        throw new CloudError(
          "InvalidPermission.NotFound",
          `The specified rule does not exist in this security group (${group.id}).`,
          404,
        );
      group.ingress.splice(index, 1);
      return groupView(group);
    },
  },
];

/** A port parameter (1-65535). */
export const portParam = (params: Params, name: string): number => {
  const port = int(params, name);
  if (port < 1 || port > 65535)
    throw invalidParameter(`Value (${port}) for parameter ${name} is invalid: a port is 1-65535`);
  return port;
};
