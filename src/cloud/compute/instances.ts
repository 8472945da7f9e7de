// Instances: launch, describe, start, stop, reboot, terminate, security groups and tags.
import { list, map, optStr, str, iso, type ActionDef, type ActionContext } from "../core/action";
import { cidrSize, formatIp, parseCidr } from "../network/cidr";
import { CloudError, incorrectState, invalidParameter, notFound } from "../core/errors";
import { newId, nextRandom } from "../core/ids";
import { findSecurityGroup, findSubnet } from "../network/network";
import { checkQuota } from "../core/quotas";
import type { CloudState, Instance, InstanceState } from "../core/model";

/** Addresses a subnet keeps for itself (network, router, DNS, future use), like real clouds. */
const RESERVED_LOW_ADDRESSES = 4;

export function findInstance(state: CloudState, id: string): Instance {
  const instance = state.instances.find(
    (i) => i.id === id || (i.tags.Name === id && i.state !== "terminated"),
  );
  if (!instance) throw notFound("InvalidInstanceID.NotFound", "instance ID", id);
  return instance;
}

function allocateIp(state: CloudState, subnetId: string): string {
  const subnet = findSubnet(state, subnetId);
  const cidr = parseCidr(subnet.cidr);
  const used = new Set(
    state.instances
      .filter((i) => i.subnetId === subnetId && i.state !== "terminated")
      .map((i) => i.privateIp),
  );
  for (let n = RESERVED_LOW_ADDRESSES; n < cidrSize(cidr) - 1; n++) {
    const ip = formatIp(cidr.base + n);
    if (!used.has(ip)) return ip;
  }
  throw new CloudError(
    "InsufficientFreeAddressesInSubnet",
    `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`,
  );
}

export function instanceView(state: CloudState, i: Instance) {
  return {
    id: i.id,
    name: i.tags.Name ?? "",
    type: i.type,
    state: i.state,
    imageId: i.imageId,
    zone: i.zone,
    subnetId: i.subnetId,
    networkId: i.networkId,
    securityGroups: i.securityGroupIds,
    privateIp: i.privateIp,
    publicIp: i.publicIp ?? "",
    role: i.role ?? "",
    launchTime: iso(i.launchedAtMs),
    volumes: state.volumes.filter((v) => v.attachment?.instanceId === i.id).map((v) => v.id),
    userData: i.userData,
    tags: i.tags,
  };
}

function setState(
  ctx: ActionContext,
  instance: Instance,
  next: InstanceState,
): { id: string; previousState: string; currentState: string } {
  const previous = instance.state;
  instance.state = next;
  instance.stateSinceMs = ctx.state.nowMs;
  return { id: instance.id, previousState: previous, currentState: next };
}

const instanceParam = {
  instance: {
    kind: "string" as const,
    required: true,
    positional: true,
    help: "instance id (or Name tag)",
  },
};

const DONE: Record<string, string> = {
  start: "started",
  stop: "stopped",
  reboot: "rebooted",
  terminate: "terminated",
};

function transition(
  name: string,
  verb: string,
  summary: string,
  allowed: InstanceState[],
  next: (i: Instance) => InstanceState,
): ActionDef {
  return {
    name,
    permission: `compute:${name}`,
    group: "instances",
    verb,
    summary,
    params: instanceParam,
    resource: (p) => `instance/${String(p.instance)}`,
    run: (ctx, params) => {
      const instance = findInstance(ctx.state, str(params, "instance"));
      if (!allowed.includes(instance.state)) {
        throw incorrectState(
          "IncorrectInstanceState",
          `The instance '${instance.id}' is not in a state from which it can be ${DONE[verb] ?? verb} (it is ${instance.state}).`,
        );
      }
      if (name === "TerminateInstances") {
        for (const volume of ctx.state.volumes) {
          if (volume.attachment?.instanceId === instance.id) {
            volume.attachment = null;
            volume.state = "available";
            volume.stateSinceMs = ctx.state.nowMs;
          }
        }
      }
      if (name === "StartInstances")
        checkQuota(
          ctx.state,
          "vcpus",
          ctx.state.machineTypes.find((t) => t.name === instance.type)?.vcpus ?? 0,
        );
      return setState(ctx, instance, next(instance));
    },
  };
}

export const computeActions: ActionDef[] = [
  {
    name: "DescribeInstances",
    permission: "compute:DescribeInstances",
    group: "instances",
    verb: "list",
    summary: "List the instances of the region.",
    params: {
      state: {
        kind: "string",
        help: "only instances in this state (pending, running, stopped, ...)",
      },
      tag: { kind: "map", help: "only instances with this tag, KEY=VALUE" },
    },
    resource: () => "instance/*",
    columns: ["id", "name", "type", "state", "zone", "privateIp", "publicIp"],
    run: (ctx, params) => {
      const wanted = optStr(params, "state");
      const tags = map(params, "tag");
      return {
        items: ctx.state.instances
          .filter((i) => i.region === ctx.region && (wanted === undefined || i.state === wanted))
          .filter((i) => Object.entries(tags).every(([k, v]) => i.tags[k] === v))
          .map((i) => instanceView(ctx.state, i)),
      };
    },
  },
  {
    name: "DescribeInstance",
    permission: "compute:DescribeInstances",
    group: "instances",
    verb: "describe",
    summary: "Show one instance.",
    params: instanceParam,
    resource: (p) => `instance/${String(p.instance)}`,
    run: ({ state }, params) => instanceView(state, findInstance(state, str(params, "instance"))),
  },
  {
    name: "RunInstances",
    permission: "compute:RunInstances",
    group: "instances",
    verb: "create",
    summary: "Launch an instance in a subnet; it is pending for a few seconds, then running.",
    params: {
      name: { kind: "string", help: "its Name tag" },
      type: { kind: "string", required: true, help: "machine type (see `cloud instances types`)" },
      image: {
        kind: "string",
        required: true,
        help: "machine image id or name (see `cloud images list`)",
      },
      subnet: { kind: "string", required: true, help: "subnet id or name; decides the zone" },
      "security-groups": { kind: "list", help: "security group ids or names, comma-separated" },
      "user-data": { kind: "string", help: "script run at first boot" },
      role: { kind: "string", help: "IAM role the instance acts as" },
      tag: { kind: "map", help: "tags, KEY=VALUE (repeatable)" },
    },
    resource: () => "instance/*",
    run: (ctx, params) => {
      const { state } = ctx;
      const typeName = str(params, "type");
      const type = state.machineTypes.find((t) => t.name === typeName);
      if (!type)
        throw invalidParameter(
          `The instance type '${typeName}' does not exist. Valid types: ${state.machineTypes.map((t) => t.name).join(", ")}`,
        );
      const imageName = str(params, "image");
      const image = state.images.find((m) => m.id === imageName || m.name === imageName);
      if (!image) throw notFound("InvalidAMIID.NotFound", "image id", imageName);
      const subnet = findSubnet(state, str(params, "subnet"));
      const network = state.networks.find((n) => n.id === subnet.networkId);
      if (network?.region !== ctx.region)
        throw invalidParameter(`The subnet '${subnet.id}' is not in region ${ctx.region}`);
      const groupIds = list(params, "security-groups").map((g) => findSecurityGroup(state, g));
      for (const group of groupIds) {
        if (group.networkId !== subnet.networkId)
          throw invalidParameter(
            `Security group ${group.id} and subnet ${subnet.id} belong to different networks.`,
          );
      }
      const role = optStr(params, "role");
      if (role !== undefined && !state.roles.some((r) => r.name === role))
        throw notFound("NoSuchEntity", "role", role);
      checkQuota(state, "instances", 1);
      checkQuota(state, "vcpus", type.vcpus);
      const tags = map(params, "tag");
      const name = optStr(params, "name");
      if (name !== undefined) tags.Name = name;
      const instance: Instance = {
        id: newId(state, "i"),
        type: type.name,
        imageId: image.id,
        region: ctx.region,
        zone: subnet.zone,
        subnetId: subnet.id,
        networkId: subnet.networkId,
        securityGroupIds: groupIds.map((g) => g.id),
        privateIp: allocateIp(state, subnet.id),
        publicIp: subnet.public ? `198.51.100.${(nextRandom(state) % 250) + 2}` : null,
        state: "pending",
        stateSinceMs: state.nowMs,
        launchedAtMs: state.nowMs,
        userData: optStr(params, "user-data") ?? "",
        role: role ?? null,
        tags,
      };
      state.instances.push(instance);
      return instanceView(state, instance);
    },
  },
  transition("StartInstances", "start", "Start a stopped instance.", ["stopped"], () => "pending"),
  transition(
    "StopInstances",
    "stop",
    "Stop a running instance (its volumes stay attached).",
    ["running", "pending"],
    () => "stopping",
  ),
  transition(
    "RebootInstances",
    "reboot",
    "Reboot a running instance.",
    ["running"],
    () => "pending",
  ),
  transition(
    "TerminateInstances",
    "terminate",
    "Terminate an instance; its volumes are detached and kept.",
    ["pending", "running", "stopping", "stopped"],
    () => "shutting-down",
  ),
  {
    name: "ModifyInstanceSecurityGroups",
    permission: "compute:ModifyInstanceAttribute",
    group: "instances",
    verb: "set-security-groups",
    summary: "Replace the security groups of an instance.",
    params: {
      ...instanceParam,
      "security-groups": {
        kind: "list",
        required: true,
        help: "group ids or names, comma-separated",
      },
    },
    resource: (p) => `instance/${String(p.instance)}`,
    run: ({ state }, params) => {
      const instance = findInstance(state, str(params, "instance"));
      if (instance.state === "terminated" || instance.state === "shutting-down")
        throw incorrectState(
          "IncorrectInstanceState",
          `The instance '${instance.id}' is ${instance.state}.`,
        );
      const groups = list(params, "security-groups", true).map((g) => findSecurityGroup(state, g));
      for (const group of groups) {
        if (group.networkId !== instance.networkId)
          throw invalidParameter(
            `Security group ${group.id} and instance ${instance.id} belong to different networks.`,
          );
      }
      instance.securityGroupIds = groups.map((g) => g.id);
      return instanceView(state, instance);
    },
  },
  {
    name: "CreateTags",
    permission: "compute:CreateTags",
    group: "instances",
    verb: "tag",
    summary: "Add or change tags of an instance: --tag KEY=VALUE.",
    params: {
      ...instanceParam,
      tag: { kind: "map", required: true, help: "KEY=VALUE (repeatable)" },
    },
    resource: (p) => `instance/${String(p.instance)}`,
    run: ({ state }, params) => {
      const instance = findInstance(state, str(params, "instance"));
      const tags = map(params, "tag");
      if (Object.keys(tags).length === 0)
        throw invalidParameter("Give at least one --tag KEY=VALUE");
      Object.assign(instance.tags, tags);
      return instanceView(state, instance);
    },
  },
  {
    name: "DescribeInstanceTypes",
    permission: "compute:DescribeInstanceTypes",
    group: "instances",
    verb: "types",
    summary: "List the machine types.",
    params: {},
    resource: () => "instance-type/*",
    columns: ["name", "vcpus", "memoryMiB"],
    run: ({ state }) => ({ items: state.machineTypes }),
  },
  {
    name: "DescribeImages",
    permission: "compute:DescribeImages",
    group: "images",
    verb: "list",
    summary: "List machine images and the ports they serve.",
    params: {},
    resource: () => "image/*",
    columns: ["id", "name", "ports"],
    run: ({ state }) => ({
      items: state.images.map((m) => ({
        ...m,
        ports: m.listens.map((l) => `${l.port}/${l.protocol}`).join(","),
      })),
    }),
  },
  {
    name: "DescribeRegions",
    permission: "compute:DescribeRegions",
    group: "regions",
    verb: "list",
    summary: "List regions and their zones.",
    params: {},
    resource: () => "region/*",
    columns: ["name", "zones"],
    run: ({ state }) => ({
      items: state.regions.map((r) => ({ name: r.name, zones: r.zones.join(",") })),
    }),
  },
];
