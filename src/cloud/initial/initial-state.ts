// A cloud.json turned into a CloudState (cross-references checked, the field named on error), and stored states read back.
import { cidrContains, formatIp, parseCidr } from "../network/cidr";
import { CloudConfigError, DEFAULT_QUOTAS, type CloudJson } from "./cloud-json";
import { CloudError } from "../core/errors";
import { fqdn } from "../dns/dns";
import { newId, newSecret } from "../core/ids";
import { CLOUD_STATE_VERSION, type CloudState, type RecordType } from "../core/model";

/** Resources described in cloud.json have existed this long when the task starts (settled, healthy). */
const SETTLED_AGE_MS = 3_600_000;

/** The CloudState a cloud.json describes; cross-references are checked here (field named on error). */
export function buildInitialState(json: CloudJson): CloudState {
  const startMs = Date.parse(json.startTime);
  const settledMs = startMs - SETTLED_AGE_MS;
  const defaultRegion = json.defaultRegion ?? json.regions[0]!.name;
  const state: CloudState = {
    version: CLOUD_STATE_VERSION,
    nowMs: startMs,
    rng: json.seed >>> 0,
    defaultRegion,
    regions: json.regions,
    machineTypes: json.machineTypes,
    images: json.images,
    registry: json.registry,
    quotas: { ...DEFAULT_QUOTAS, ...json.quotas },
    instances: [],
    volumes: [],
    snapshots: [],
    networks: [],
    subnets: [],
    securityGroups: [],
    loadBalancers: [],
    targetGroups: [],
    dnsZones: [],
    users: [],
    roles: [],
    policies: [],
    deployments: [],
    audit: [],
  };
  const b = builder(json, state, settledMs);
  addNetworks(b);
  addSecurityGroups(b);
  addInstances(b);
  addStorage(b);
  addLoadBalancing(b);
  addDnsZones(b);
  addIdentities(b);
  addDeployments(b);
  return state;
}

/** What each part of building a state needs: the file, the state so far, and checked lookups. */
interface Builder {
  json: CloudJson;
  state: CloudState;
  /** When cloud.json's resources were made: SETTLED_AGE_MS before the task starts. */
  settledMs: number;
  defaultRegion: string;
  /** Throws a CloudConfigError naming the field and what it should be. */
  fail: (field: string, expected: string) => never;
  /** The resource of `list` whose id or name is `key`, or a CloudConfigError naming `field`. */
  ref: <T extends { id?: string; name: string }>(
    list: T[],
    key: string,
    field: string,
    what: string,
  ) => T;
  /** The region holding `zone`, or a CloudConfigError naming `field`. */
  regionOf: (zone: string, field: string) => string;
  /** Runs `f`, turning a CloudError it throws into a CloudConfigError naming `field`. */
  guard: (field: string, f: () => void) => void;
  /** When something cloud.json dates was made: `at` (at or before the start, else a CloudConfigError naming `field`), or settledMs without one. */
  madeAt: (at: string | undefined, field: string) => number;
}

function builder(json: CloudJson, state: CloudState, settledMs: number): Builder {
  const fail = (field: string, expected: string): never => {
    throw new CloudConfigError(field, expected);
  };
  const ref = <T extends { id?: string; name: string }>(
    list: T[],
    key: string,
    field: string,
    what: string,
  ): T =>
    list.find((x) => x.id === key || x.name === key) ??
    fail(field, `no ${what} '${key}' in this file`);
  const regionOf = (zone: string, field: string): string =>
    json.regions.find((r) => r.zones.includes(zone))?.name ??
    fail(field, `'${zone}' is not a zone of any region`);
  const guard = (field: string, f: () => void): void => {
    try {
      f();
    } catch (error) {
      if (error instanceof CloudError) fail(field, error.message);
      throw error;
    }
  };

  const startMs = Date.parse(json.startTime);
  const madeAt = (at: string | undefined, field: string): number =>
    at === undefined
      ? settledMs
      : Date.parse(at) <= startMs
        ? Date.parse(at)
        : fail(field, `at or before startTime (${json.startTime})`);
  return {
    json,
    state,
    settledMs,
    defaultRegion: state.defaultRegion,
    fail,
    ref,
    regionOf,
    guard,
    madeAt,
  };
}

/** Networks and their subnets (each inside its network's range, in a zone of a region). */
function addNetworks(b: Builder): void {
  const { json, state, defaultRegion, ref, regionOf, guard } = b;
  json.networks.forEach((n, i) => {
    guard(`networks[${i}].cidr`, () => parseCidr(n.cidr));
    state.networks.push({
      id: n.id ?? newId(state, "net"),
      name: n.name,
      region: n.region ?? defaultRegion,
      cidr: n.cidr,
      tags: {},
    });
  });
  json.subnets.forEach((s, i) => {
    const network = ref(state.networks, s.network, `subnets[${i}].network`, "network");
    regionOf(s.zone, `subnets[${i}].zone`);
    guard(`subnets[${i}].cidr`, () => {
      if (!cidrContains(parseCidr(network.cidr), parseCidr(s.cidr)))
        throw new CloudError(
          "x",
          `${s.cidr} is not inside network ${network.name} (${network.cidr})`,
        );
    });
    state.subnets.push({
      id: s.id ?? newId(state, "subnet"),
      name: s.name,
      networkId: network.id,
      zone: s.zone,
      cidr: s.cidr,
      public: s.public,
      tags: {},
    });
  });
}

/** Security groups, then their ingress rules (a rule may name another group as its source). */
function addSecurityGroups(b: Builder): void {
  const { json, state, ref, guard } = b;
  json.securityGroups.forEach((g, i) => {
    const network = ref(state.networks, g.network, `securityGroups[${i}].network`, "network");
    state.securityGroups.push({
      id: g.id ?? newId(state, "sg"),
      name: g.name,
      networkId: network.id,
      description: g.description,
      ingress: [],
      tags: {},
    });
  });
  json.securityGroups.forEach((g, i) => {
    state.securityGroups[i]!.ingress = g.ingress.map((r, j) => {
      const field = `securityGroups[${i}].ingress[${j}]`;
      const source = r.source.includes("/")
        ? r.source
        : ref(state.securityGroups, r.source, `${field}.source`, "security group").id;
      if (r.source.includes("/")) guard(`${field}.source`, () => parseCidr(r.source));
      const [from, to] = r.port === undefined ? [0, 65535] : String(r.port).split("-").map(Number);
      return {
        protocol: r.protocol,
        fromPort: from ?? 0,
        toPort: to ?? from ?? 65535,
        source,
        description: r.description,
      };
    });
  });
}

/** Instances, each in a subnet with its security groups. */
function addInstances(b: Builder): void {
  const { json, state, settledMs, fail, ref, regionOf } = b;
  json.instances.forEach((x, i) => {
    const field = `instances[${i}]`;
    const subnet = ref(state.subnets, x.subnet, `${field}.subnet`, "subnet");
    if (!state.machineTypes.some((t) => t.name === x.type))
      fail(`${field}.type`, `no machine type '${x.type}'`);
    const image = ref(state.images, x.image, `${field}.image`, "image");
    const tags = { ...x.tags, ...(x.name === undefined ? {} : { Name: x.name }) };
    const hostIndex = 10 + state.instances.filter((o) => o.subnetId === subnet.id).length;
    const base = parseCidr(subnet.cidr).base + hostIndex;
    state.instances.push({
      id: x.id ?? newId(state, "i"),
      type: x.type,
      imageId: image.id,
      region: regionOf(subnet.zone, `${field}.subnet`),
      zone: subnet.zone,
      subnetId: subnet.id,
      networkId: subnet.networkId,
      securityGroupIds: x.securityGroups.map(
        (g, j) =>
          ref(state.securityGroups, g, `${field}.securityGroups[${j}]`, "security group").id,
      ),
      privateIp: x.privateIp ?? formatIp(base),
      publicIp: subnet.public ? `198.51.100.${10 + i}` : null,
      state: x.state,
      stateSinceMs: settledMs,
      launchedAtMs: settledMs,
      userData: x.userData,
      role: x.role ?? null,
      tags,
    });
  });
}

/** Volumes (attached in their instance's zone) and snapshots (taken at or before the start). */
function addStorage(b: Builder): void {
  const { json, state, settledMs, fail, regionOf, madeAt } = b;
  json.volumes.forEach((v, i) => {
    const field = `volumes[${i}]`;
    const region = regionOf(v.zone, `${field}.zone`);
    const instance =
      v.attachedTo === undefined
        ? undefined
        : (state.instances.find((x) => x.id === v.attachedTo || x.tags.Name === v.attachedTo) ??
          fail(`${field}.attachedTo`, `no instance '${v.attachedTo}' in this file`));
    if (instance && instance.zone !== v.zone)
      fail(
        `${field}.attachedTo`,
        `instance ${instance.id} is in ${instance.zone}, the volume in ${v.zone}`,
      );
    state.volumes.push({
      id: v.id ?? newId(state, "vol"),
      region,
      zone: v.zone,
      sizeGiB: v.sizeGiB,
      type: v.type,
      state: instance ? "in-use" : "available",
      stateSinceMs: settledMs,
      snapshotId: null,
      attachment: instance
        ? { instanceId: instance.id, device: v.device, attachedAtMs: settledMs }
        : null,
      tags: v.name === undefined ? {} : { Name: v.name },
    });
  });
  json.snapshots.forEach((s, i) => {
    const volume =
      state.volumes.find((v) => v.id === s.volume || v.tags.Name === s.volume) ??
      fail(`snapshots[${i}].volume`, `no volume '${s.volume}' in this file`);
    state.snapshots.push({
      id: s.id ?? newId(state, "snap"),
      region: volume.region,
      volumeId: volume.id,
      sizeGiB: volume.sizeGiB,
      state: "completed",
      startedAtMs: madeAt(s.startedAt, `snapshots[${i}].startedAt`),
      description: s.description,
      tags: {},
    });
  });
}

/** Target groups of instances, and the load balancers whose listeners forward to them. */
function addLoadBalancing(b: Builder): void {
  const { json, state, settledMs, fail, ref, regionOf } = b;
  json.targetGroups.forEach((g, i) => {
    const network = ref(state.networks, g.network, `targetGroups[${i}].network`, "network");
    const targets = g.targets.map((t, j) => {
      const instance =
        state.instances.find((x) => x.id === t || x.tags.Name === t) ??
        fail(`targetGroups[${i}].targets[${j}]`, `no instance '${t}' in this file`);
      return { instanceId: instance.id, port: g.port, registeredAtMs: settledMs };
    });
    state.targetGroups.push({
      name: g.name,
      networkId: network.id,
      protocol: g.protocol,
      port: g.port,
      healthCheck: {
        protocol: g.protocol,
        path: g.healthCheck.path,
        port: g.healthCheck.port ?? null,
      },
      targets,
    });
  });
  json.loadBalancers.forEach((l, i) => {
    const subnets = l.subnets.map((s, j) =>
      ref(state.subnets, s, `loadBalancers[${i}].subnets[${j}]`, "subnet"),
    );
    l.listeners.forEach((x, j) =>
      ref(
        state.targetGroups,
        x.targetGroup,
        `loadBalancers[${i}].listeners[${j}].targetGroup`,
        "target group",
      ),
    );
    const region = regionOf(subnets[0]!.zone, `loadBalancers[${i}].subnets`);
    state.loadBalancers.push({
      name: l.name,
      region,
      networkId: subnets[0]!.networkId,
      subnetIds: subnets.map((s) => s.id),
      securityGroupIds: l.securityGroups.map(
        (g, j) =>
          ref(state.securityGroups, g, `loadBalancers[${i}].securityGroups[${j}]`, "security group")
            .id,
      ),
      dnsName: `${l.name}-lb.${region}.cloud.internal`,
      state: "active",
      createdAtMs: settledMs,
      listeners: l.listeners,
    });
  });
}

/** DNS zones and their records, served as written. */
function addDnsZones(b: Builder): void {
  const { json, state, settledMs } = b;
  json.dnsZones.forEach((z) => {
    const zone = {
      id: newId(state, "zone").toUpperCase().replace("ZONE-", "Z"),
      name: fqdn(z.name),
      private: z.private,
      records: z.records.map((r) => ({
        name: fqdn(r.name),
        type: r.type as RecordType,
        ttl: r.ttl,
        values: r.values,
        servedValues: r.values,
        changedAtMs: settledMs,
      })),
    };
    state.dnsZones.push(zone);
  });
}

/** Policies, users and roles (each naming policies and users of this file), and the agent's access key. */
function addIdentities(b: Builder): void {
  const { json, state, ref } = b;
  state.policies = json.policies;
  json.users.forEach((u, i) => {
    u.policies.forEach((p, j) => ref(state.policies, p, `users[${i}].policies[${j}]`, "policy"));
    state.users.push({ name: u.name, policies: u.policies, accessKeys: u.accessKeys });
  });
  json.roles.forEach((r, i) => {
    r.policies.forEach((p, j) => ref(state.policies, p, `roles[${i}].policies[${j}]`, "policy"));
    r.trustedUsers.forEach((u, j) => ref(state.users, u, `roles[${i}].trustedUsers[${j}]`, "user"));
    state.roles.push(r);
  });
  if (json.agent) {
    const user = ref(state.users, json.agent.user, "agent.user", "user");
    if (user.accessKeys.length === 0)
      user.accessKeys.push({
        id: newId(state, "AK").toUpperCase().replace("-", ""),
        secret: newSecret(state, 40),
        active: true,
      });
  }
}

/**
 * Deployments: revision 1 (made at createdAt), each change of its history on top of the last (at its
 * time), and a rollout under way as the newest revisions; the last change before the rollout is stable.
 */
function addDeployments(b: Builder): void {
  const { json, state, settledMs, defaultRegion, madeAt } = b;
  json.deployments.forEach((d, i) => {
    const first = { image: d.image, env: d.env, port: d.port, healthPath: d.healthPath };
    const revisions = [
      {
        revision: 1,
        template: first,
        createdAtMs: madeAt(d.createdAt, `deployments[${i}].createdAt`),
      },
    ];
    type Change = { env?: Record<string, string>; at?: string } & Partial<typeof first>;
    const change = ({ env, ...changed }: Change, createdAtMs: number) => {
      const rest = { ...changed };
      delete rest.at;
      const template = revisions.at(-1)!.template;
      revisions.push({
        revision: revisions.length + 1,
        template: { ...template, ...rest, env: { ...template.env, ...env } },
        createdAtMs,
      });
    };
    d.history.forEach((h, j) => change(h, madeAt(h.at, `deployments[${i}].history[${j}].at`)));
    const stableRevision = revisions.length;
    for (const rollout of [d.rollout ?? []].flat()) change(rollout, settledMs);
    state.deployments.push({
      name: d.name,
      region: defaultRegion,
      replicas: d.replicas,
      revisions,
      currentRevision: revisions.length,
      stableRevision,
      rolloutStartedAtMs: settledMs,
    });
  });
}

/** Reads a stored state (a run's saved cloud): checks the version, upgrading older ones when there are. */
export function restoreCloudState(raw: unknown): CloudState {
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== CLOUD_STATE_VERSION) {
    throw new CloudConfigError(
      "version",
      `a cloud state of version ${CLOUD_STATE_VERSION} (got ${String(version)}); this build cannot read it`,
    );
  }
  return structuredClone(raw as CloudState);
}
