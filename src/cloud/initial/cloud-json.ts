// cloud.json's schema: the shape of a task's initial cloud, with defaults, and its parsing (errors name the field).
import { z } from "zod";
import { INSTANCE_STATES, QUOTA_NAMES, type QuotaName } from "../core/model";

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
/** A change of a deployment's template that a rollout rolls out. */
const rolloutChange = z.object({
  image: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  port: z.number().int().optional(),
  healthPath: z.string().optional(),
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
        z.object({
          id: z.string().optional(),
          volume: name,
          description: z.string().default(""),
          /** When it was taken (at or before startTime); default: an hour before the task starts. */
          startedAt: z.iso.datetime().optional(),
        }),
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
          /** When revision 1 was made (at or before startTime; default: when the hour of history began). */
          createdAt: z.iso.datetime().optional(),
          /**
           * Earlier changes of the template, each on top of the one before and rolled out in full (at: when,
           * at or before startTime; default: when the hour of history began); the last is what serves.
           */
          history: z
            .array(
              z.object({
                image: z.string().optional(),
                env: z.record(z.string(), z.string()).optional(),
                port: z.number().int().optional(),
                healthPath: z.string().optional(),
                at: z.iso.datetime().optional(),
              }),
            )
            .default([]),
          /**
           * A rollout of a changed template, begun when the task starts' hour of history began; a list is
           * that change and the attempts made on top of it while it rolled out (each a revision of its own,
           * the last the one rolling out now).
           * NOTE: what the cloud holds when a task starts belongs here, not in setup.sh: a task restored
           * from its saved machine state gets its control plane from cloud.json alone.
           */
          rollout: z.union([rolloutChange, z.array(rolloutChange).min(1)]).optional(),
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
