// The simulated cloud's whole state as plain, serialisable data, and its schema version.

/** NOTE: bump when the shape changes, and upgrade older states in restoreCloudState(). */
export const CLOUD_STATE_VERSION = 1;

export const INSTANCE_STATES = [
  "pending",
  "running",
  "stopping",
  "stopped",
  "shutting-down",
  "terminated",
] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

export interface Region {
  name: string;
  zones: string[];
}

export interface MachineType {
  name: string;
  vcpus: number;
  memoryMiB: number;
}

/** What a program listening on a port answers: the paths that return 200. */
export interface Listener {
  port: number;
  protocol: "tcp" | "udp";
  httpPaths: string[];
}

/** A machine image: what an instance started from it serves. */
export interface MachineImage {
  id: string;
  name: string;
  listens: Listener[];
}

export type Tags = Record<string, string>;

export interface Instance {
  id: string;
  type: string;
  imageId: string;
  region: string;
  zone: string;
  subnetId: string;
  networkId: string;
  securityGroupIds: string[];
  privateIp: string;
  publicIp: string | null;
  state: InstanceState;
  stateSinceMs: number;
  launchedAtMs: number;
  userData: string;
  role: string | null;
  tags: Tags;
}

export type VolumeState = "creating" | "available" | "in-use" | "deleting";

export interface Volume {
  id: string;
  region: string;
  zone: string;
  sizeGiB: number;
  type: string;
  state: VolumeState;
  stateSinceMs: number;
  snapshotId: string | null;
  attachment: { instanceId: string; device: string; attachedAtMs: number } | null;
  tags: Tags;
}

export interface Snapshot {
  id: string;
  region: string;
  volumeId: string;
  sizeGiB: number;
  state: "pending" | "completed";
  startedAtMs: number;
  description: string;
  tags: Tags;
}

export interface Network {
  id: string;
  name: string;
  region: string;
  cidr: string;
  tags: Tags;
}

export interface Subnet {
  id: string;
  name: string;
  networkId: string;
  zone: string;
  cidr: string;
  public: boolean;
  tags: Tags;
}

export type RuleProtocol = "tcp" | "udp" | "icmp" | "all";

/** One allowed flow: a port range of a protocol, from a CIDR block or from members of a group. */
export interface SecurityRule {
  protocol: RuleProtocol;
  fromPort: number;
  toPort: number;
  /** "10.0.0.0/16" or a security group id "sg-…". */
  source: string;
  description: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  networkId: string;
  description: string;
  ingress: SecurityRule[];
  tags: Tags;
}

export interface LoadBalancerListener {
  port: number;
  protocol: "http" | "tcp";
  targetGroup: string;
}

export interface LoadBalancer {
  name: string;
  region: string;
  networkId: string;
  subnetIds: string[];
  securityGroupIds: string[];
  dnsName: string;
  state: "provisioning" | "active";
  createdAtMs: number;
  listeners: LoadBalancerListener[];
}

export interface HealthCheck {
  protocol: "http" | "tcp";
  port: number | null;
  path: string;
}

export interface Target {
  instanceId: string;
  port: number;
  registeredAtMs: number;
}

export interface TargetGroup {
  name: string;
  networkId: string;
  protocol: "http" | "tcp";
  port: number;
  healthCheck: HealthCheck;
  targets: Target[];
}

export type RecordType = "A" | "AAAA" | "CNAME" | "TXT" | "MX";

export interface DnsRecord {
  name: string;
  type: RecordType;
  ttl: number;
  /** What the last change asked for (null: the record is being deleted). */
  values: string[] | null;
  /** What resolvers answer: the values of the last change that has propagated. */
  servedValues: string[] | null;
  changedAtMs: number;
}

export interface DnsZone {
  id: string;
  name: string;
  private: boolean;
  records: DnsRecord[];
}

export interface PolicyStatement {
  effect: "Allow" | "Deny";
  actions: string[];
  resources: string[];
}

export interface Policy {
  name: string;
  description: string;
  statements: PolicyStatement[];
}

export interface AccessKey {
  id: string;
  secret: string;
  active: boolean;
}

export interface User {
  name: string;
  policies: string[];
  accessKeys: AccessKey[];
}

export interface Role {
  name: string;
  policies: string[];
  /** Users allowed to assume the role (each also needs iam:AssumeRole on it). */
  trustedUsers: string[];
}

/** A container image tag in the registry, and how a replica of it behaves. */
export interface ContainerImage {
  /** Variables the program exits without. */
  requiredEnv: string[];
  port: number;
  httpPaths: string[];
}

export interface DeploymentTemplate {
  image: string;
  env: Record<string, string>;
  port: number;
  healthPath: string;
}

export interface DeploymentRevision {
  revision: number;
  template: DeploymentTemplate;
  createdAtMs: number;
}

export interface Deployment {
  name: string;
  region: string;
  replicas: number;
  revisions: DeploymentRevision[];
  /** The revision being rolled out (or rolled out). */
  currentRevision: number;
  /** The last revision whose replicas were all available; serves while a rollout is under way. */
  stableRevision: number;
  /** When the current revision or the replica count last changed. */
  rolloutStartedAtMs: number;
}

export const QUOTA_NAMES = [
  "instances",
  "vcpus",
  "volumes",
  "volumeGiB",
  "securityGroups",
  "loadBalancers",
  "replicas",
] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

export interface AuditEntry {
  seq: number;
  timeMs: number;
  principal: string;
  action: string;
  resource: string;
  params: Record<string, unknown>;
  outcome: "ok" | "error";
  errorCode: string | null;
}

export interface CloudState {
  version: typeof CLOUD_STATE_VERSION;
  nowMs: number;
  /** mulberry32 state: ids depend on the seed and the order of calls only. */
  rng: number;
  defaultRegion: string;
  regions: Region[];
  machineTypes: MachineType[];
  images: MachineImage[];
  registry: Record<string, Record<string, ContainerImage>>;
  quotas: Record<QuotaName, number>;
  instances: Instance[];
  volumes: Volume[];
  snapshots: Snapshot[];
  networks: Network[];
  subnets: Subnet[];
  securityGroups: SecurityGroup[];
  loadBalancers: LoadBalancer[];
  targetGroups: TargetGroup[];
  dnsZones: DnsZone[];
  users: User[];
  roles: Role[];
  policies: Policy[];
  deployments: Deployment[];
  audit: AuditEntry[];
}

/** Times of the simulated world (simulated milliseconds). */
export const INSTANCE_BOOT_MS = 6_000;
export const INSTANCE_STOP_MS = 4_000;
export const VOLUME_CREATE_MS = 3_000;
export const SNAPSHOT_MS = 5_000;
export const LB_PROVISION_MS = 5_000;
export const DNS_PROPAGATION_MS = 4_000;
/** A newly registered or newly running target is "initial" this long before its first verdict. */
export const HEALTH_INITIAL_MS = 5_000;
export const REPLICA_START_MS = 3_000;
export const CRASH_BACKOFF_MS = 10_000;
export const PROGRESS_DEADLINE_MS = 30_000;

export const TERMINAL_INSTANCE_STATES: InstanceState[] = ["shutting-down", "terminated"];
