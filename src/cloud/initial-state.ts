// cloud.json: a task's initial cloud, validated with zod (errors name the field) and turned into a CloudState.
import { z } from "zod";
import { cidrContains, formatIp, parseCidr } from "./cidr";
import { CloudError } from "./errors";
import { fqdn } from "./dns";
import { newId, newSecret } from "./ids";
import {
  CLOUD_STATE_VERSION,
  INSTANCE_STATES,
  QUOTA_NAMES,
  type CloudState,
  type QuotaName,
  type RecordType,
} from "./state";

/** Resources described in cloud.json have existed this long when the task starts (settled, healthy). */
const SETTLED_AGE_MS = 3_600_000;
const DEFAULT_START_TIME = "2026-03-02T09:00:00Z";
const DEFAULT_REGION = { name: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] };
const DEFAULT_MACHINE_TYPES = [
  { name: "small", vcpus: 1, memoryMiB: 2048 },
  { name: "medium", vcpus: 2, memoryMiB: 4096 },
  { name: "large", vcpus: 4, memoryMiB: 16384 },
];
export const DEFAULT_QUOTAS: Record<QuotaName, number> = {
  instances: 20,
  vcpus: 32,
  volumes: 20,
  volumeGiB: 2000,
  securityGroups: 50,
  loadBalancers: 5,
  replicas: 30,
};

const name = z.string().min(1);
const ruleSchema = z.object({
  protocol: z.enum(["tcp", "udp", "icmp", "all"]),
  port: z.union([z.number().int(), z.string().regex(/^\d+(-\d+)?$/)]).optional(),
  source: z.string().min(1),
  description: z.string().default(""),
});
const statementSchema = z.object({
  effect: z.enum(["Allow", "Deny"]),
  actions: z.array(z.string().min(1)).min(1),
  resources: z.array(z.string().min(1)).default(["*"]),
});

export const CloudJsonSchema = z
  .object({
    seed: z.number().int().default(1),
    startTime: z.iso.datetime().default(DEFAULT_START_TIME),
    regions: z
      .array(z.object({ name, zones: z.array(name).min(1) }))
      .min(1)
      .default([DEFAULT_REGION]),
    defaultRegion: z.string().optional(),
    machineTypes: z
      .array(
        z.object({
          name,
          vcpus: z.number().int().positive(),
          memoryMiB: z.number().int().positive(),
        }),
      )
      .default(DEFAULT_MACHINE_TYPES),
    images: z
      .array(
        z.object({
          id: name,
          name,
          listens: z
            .array(
              z.object({
                port: z.number().int(),
                protocol: z.enum(["tcp", "udp"]).default("tcp"),
                httpPaths: z.array(z.string()).default([]),
              }),
            )
            .default([]),
        }),
      )
      .default([]),
    registry: z
      .record(
        z.string(),
        z.record(
          z.string(),
          z.object({
            requiredEnv: z.array(z.string()).default([]),
            port: z.number().int().default(8080),
            httpPaths: z.array(z.string()).default(["/healthz"]),
          }),
        ),
      )
      .default({}),
    quotas: z.partialRecord(z.enum(QUOTA_NAMES), z.number().int().nonnegative()).default({}),
    networks: z
      .array(
        z.object({
          id: z.string().optional(),
          name,
          cidr: z.string(),
          region: z.string().optional(),
        }),
      )
      .default([]),
    subnets: z
      .array(
        z.object({
          id: z.string().optional(),
          name,
          network: name,
          zone: name,
          cidr: z.string(),
          public: z.boolean().default(false),
        }),
      )
      .default([]),
    securityGroups: z
      .array(
        z.object({
          id: z.string().optional(),
          name,
          network: name,
          description: z.string().default(""),
          ingress: z.array(ruleSchema).default([]),
        }),
      )
      .default([]),
    instances: z
      .array(
        z.object({
          id: z.string().optional(),
          name: z.string().optional(),
          type: name,
          image: name,
          subnet: name,
          securityGroups: z.array(name).default([]),
          privateIp: z.string().optional(),
          state: z.enum(INSTANCE_STATES).default("running"),
          userData: z.string().default(""),
          role: z.string().optional(),
          tags: z.record(z.string(), z.string()).default({}),
        }),
      )
      .default([]),
    volumes: z
      .array(
        z.object({
          id: z.string().optional(),
          name: z.string().optional(),
          zone: name,
          sizeGiB: z.number().int().positive(),
          type: z.string().default("standard"),
          attachedTo: z.string().optional(),
          device: z.string().default("/dev/sdf"),
        }),
      )
      .default([]),
    snapshots: z
      .array(
        z.object({ id: z.string().optional(), volume: name, description: z.string().default("") }),
      )
      .default([]),
    targetGroups: z
      .array(
        z.object({
          name,
          network: name,
          port: z.number().int(),
          protocol: z.enum(["http", "tcp"]).default("http"),
          healthCheck: z
            .object({ path: z.string().default("/"), port: z.number().int().optional() })
            .default({ path: "/" }),
          targets: z.array(name).default([]),
        }),
      )
      .default([]),
    loadBalancers: z
      .array(
        z.object({
          name,
          subnets: z.array(name).min(1),
          securityGroups: z.array(name).default([]),
          listeners: z
            .array(
              z.object({
                port: z.number().int(),
                protocol: z.enum(["http", "tcp"]).default("http"),
                targetGroup: name,
              }),
            )
            .default([]),
        }),
      )
      .default([]),
    dnsZones: z
      .array(
        z.object({
          name,
          private: z.boolean().default(false),
          records: z
            .array(
              z.object({
                name,
                type: z.enum(["A", "AAAA", "CNAME", "TXT", "MX"]),
                ttl: z.number().int().positive().default(300),
                values: z.array(z.string()).min(1),
              }),
            )
            .default([]),
        }),
      )
      .default([]),
    policies: z
      .array(
        z.object({
          name,
          description: z.string().default(""),
          statements: z.array(statementSchema).min(1),
        }),
      )
      .default([]),
    users: z
      .array(
        z.object({
          name,
          policies: z.array(name).default([]),
          accessKeys: z
            .array(z.object({ id: name, secret: name, active: z.boolean().default(true) }))
            .default([]),
        }),
      )
      .default([]),
    roles: z
      .array(
        z.object({
          name,
          policies: z.array(name).default([]),
          trustedUsers: z.array(name).default([]),
        }),
      )
      .default([]),
    deployments: z
      .array(
        z.object({
          name,
          image: name,
          replicas: z.number().int().nonnegative().default(1),
          env: z.record(z.string(), z.string()).default({}),
          port: z.number().int().default(8080),
          healthPath: z.string().default("/healthz"),
          /** A rollout of a changed template, begun when the task starts' hour of history began. */
          rollout: z
            .object({
              image: z.string().optional(),
              env: z.record(z.string(), z.string()).optional(),
              port: z.number().int().optional(),
              healthPath: z.string().optional(),
            })
            .optional(),
        }),
      )
      .default([]),
    /** Who the agent is in the VM: the runner writes this user's first key to ~/.cloud/credentials. */
    agent: z.object({ user: name, region: z.string().optional() }).optional(),
  })
  .strict();

export type CloudJson = z.infer<typeof CloudJsonSchema>;

/** A cloud.json that does not describe a consistent cloud: `field` is the path, e.g. "subnets[1].network". */
export class CloudConfigError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${field}: ${expected}`);
    this.name = "CloudConfigError";
  }
}

function path(parts: PropertyKey[]): string {
  return (
    parts
      .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`))
      .join("") || "(root)"
  );
}

/** Parses cloud.json text; throws CloudConfigError naming the field. */
export function parseCloudJson(text: string): CloudJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CloudConfigError("(root)", `not valid JSON (${(error as Error).message})`);
  }
  const result = CloudJsonSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CloudConfigError(path(issue?.path ?? []), issue?.message ?? "invalid");
  }
  return result.data;
}

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
      startedAtMs: settledMs,
      description: s.description,
      tags: {},
    });
  });
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
  json.deployments.forEach((d) => {
    const template = { image: d.image, env: d.env, port: d.port, healthPath: d.healthPath };
    const revisions = [{ revision: 1, template, createdAtMs: settledMs }];
    if (d.rollout) {
      const { env, ...rest } = d.rollout;
      revisions.push({
        revision: 2,
        template: { ...template, ...rest, env: { ...template.env, ...env } },
        createdAtMs: settledMs,
      });
    }
    state.deployments.push({
      name: d.name,
      region: defaultRegion,
      replicas: d.replicas,
      revisions,
      currentRevision: revisions.length,
      stableRevision: 1,
      rolloutStartedAtMs: settledMs,
    });
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
  return state;
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
