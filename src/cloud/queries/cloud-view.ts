// A read-only view of the control plane's state for graders: resources by identity and by name, and what they do.
import { cidrContains, parseCidr, parseIp } from "../network/cidr";
import { replicasOf, rolloutStatus, type ReplicaView } from "../compute/deployments";
import { fqdn, resolveName } from "../dns/dns";
import { CloudError } from "../core/errors";
import { admissions, rulesFor, type Admission } from "../network/network";
import type {
  AuditEntry,
  CloudState,
  Deployment,
  Instance,
  LoadBalancer,
  RecordType,
  RuleProtocol,
  SecurityGroup,
  TargetGroup,
  Volume,
} from "../core/model";
import { targetHealth, type TargetHealth } from "../lb/target-health";
import { grantsOf, resourceNames, simulate, type Grant, type Principal } from "./access";
import { admitsInternetSource } from "./exposure";

/** A deployment as a grader sees it: its template now, and how its replicas and rollout are doing. */
export interface DeploymentStatus {
  name: string;
  image: string;
  env: Record<string, string>;
  port: number;
  healthPath: string;
  /** Replicas asked for, and how many are ready. */
  replicas: number;
  ready: number;
  /** The rollout of the current revision has finished: every replica runs it and is ready. */
  rolledOut: boolean;
  rollout: string;
  pods: ReplicaView[];
  /** The raw resource: its revisions and which one serves. */
  deployment: Deployment;
}

/** What resolvers answer for a name, and the load balancer it ends at, if any. */
export interface Resolution {
  chain: string[];
  answers: string[];
  loadBalancer: LoadBalancer | undefined;
}

/** Sources a flow may come from: members of these groups, addresses in these ranges. */
export interface AllowedSources {
  groupIds: string[];
  cidrs: string[];
}

/** Where a flow comes from: an address, or a member of one of some security groups. */
export type FlowSource = { ip: string } | { groupIds: string[] };

export interface AuditFilter {
  principal?: string;
  /** The API action's name, e.g. "UpdateDeploymentImage". */
  action?: string | RegExp;
  resource?: string;
  outcome?: AuditEntry["outcome"];
  /** Only calls made at or after this simulated time. */
  sinceMs?: number;
}

/**
 * Reads a cloud state: never changes it. NOTE: look resources up by id where the task knows them (an
 * agent can give a new resource an old name); the *Named() finders are for what has no id.
 */
export class CloudView {
  constructor(readonly state: CloudState) {}

  get nowMs(): number {
    return this.state.nowMs;
  }

  instance(id: string): Instance | undefined {
    return this.state.instances.find((i) => i.id === id);
  }

  /** Instances with this Name tag that are not terminated (or shutting down). */
  instancesNamed(name: string): Instance[] {
    return this.state.instances.filter(
      (i) => i.tags.Name === name && i.state !== "terminated" && i.state !== "shutting-down",
    );
  }

  /** The id of the one live instance with this Name tag; throws when there is none or several. */
  instanceIdNamed(name: string): string {
    const found = this.instancesNamed(name);
    if (found.length !== 1)
      throw new Error(`expected one instance named ${name}, found ${found.length}`);
    return found[0]!.id;
  }

  volume(id: string): Volume | undefined {
    return this.state.volumes.find((v) => v.id === id);
  }

  /** The ports an instance's image answers HTTP on (what listens there, whatever the rules say). */
  httpPorts(instanceId: string): number[] {
    const instance = this.instance(instanceId);
    const image = this.state.images.find((m) => m.id === instance?.imageId);
    return image?.listens.filter((l) => l.httpPaths.length > 0).map((l) => l.port) ?? [];
  }

  /** The id of the volume with this Name tag; throws when there is none or several. */
  volumeIdNamed(name: string): string {
    const found = this.state.volumes.filter((v) => v.tags.Name === name);
    if (found.length !== 1)
      throw new Error(`expected one volume named ${name}, found ${found.length}`);
    return found[0]!.id;
  }

  /** The volume attached to an instance at a device, if any. */
  volumeAt(instanceId: string, device: string): Volume | undefined {
    return this.state.volumes.find(
      (v) => v.attachment?.instanceId === instanceId && v.attachment.device === device,
    );
  }

  snapshot(id: string) {
    return this.state.snapshots.find((s) => s.id === id);
  }

  snapshotsOf(volumeId: string) {
    return this.state.snapshots.filter((s) => s.volumeId === volumeId);
  }

  securityGroup(idOrName: string): SecurityGroup | undefined {
    return this.state.securityGroups.find((g) => g.id === idOrName || g.name === idOrName);
  }

  subnet(idOrName: string) {
    return this.state.subnets.find((s) => s.id === idOrName || s.name === idOrName);
  }

  loadBalancer(name: string): LoadBalancer | undefined {
    return this.state.loadBalancers.find((l) => l.name === name);
  }

  targetGroup(name: string): TargetGroup | undefined {
    return this.state.targetGroups.find((g) => g.name === name);
  }

  /** The target group a load balancer forwards a port to. */
  listenerTarget(lbName: string, port: number): TargetGroup | undefined {
    const listener = this.loadBalancer(lbName)?.listeners.find((l) => l.port === port);
    return listener && this.targetGroup(listener.targetGroup);
  }

  /** The health the group's check finds for each of its targets now. */
  targetHealth(targetGroupName: string): TargetHealth[] {
    const group = this.targetGroup(targetGroupName);
    return group ? group.targets.map((t) => targetHealth(this.state, group, t)) : [];
  }

  deployment(name: string): DeploymentStatus | undefined {
    const d = this.state.deployments.find((x) => x.name === name);
    if (!d) return undefined;
    const template = d.revisions.find((r) => r.revision === d.currentRevision)!.template;
    const pods = replicasOf(this.state, d);
    const status = rolloutStatus(this.state, d);
    return {
      ...structuredClone(template),
      name: d.name,
      replicas: d.replicas,
      ready: pods.filter((p) => p.ready).length,
      rolledOut: status.done,
      rollout: status.message,
      pods,
      deployment: d,
    };
  }

  policy(name: string) {
    return this.state.policies.find((p) => p.name === name);
  }

  /** What resolvers answer now for `name`; a CNAME loop answers nothing. */
  resolve(name: string, type: RecordType = "A"): Resolution {
    try {
      const { chain, answers } = resolveName(this.state, name, type);
      const end = chain.at(-1);
      const loadBalancer = this.state.loadBalancers.find((l) => fqdn(l.dnsName) === end);
      return { chain, answers, loadBalancer };
    } catch (error) {
      if (error instanceof CloudError) return { chain: [], answers: [], loadBalancer: undefined };
      throw error;
    }
  }

  /** Every rule of these groups that lets in `port`, whatever the source. */
  rulesAdmitting(groupIds: string[], port: number, protocol: RuleProtocol = "tcp"): Admission[] {
    return rulesFor(this.state, groupIds, protocol, port);
  }

  /** The rules of these groups that let in `port` from `source` (empty: it is kept out). */
  admits(
    groupIds: string[],
    port: number,
    source: FlowSource,
    protocol: RuleProtocol = "tcp",
  ): Admission[] {
    if ("ip" in source && parseIp(source.ip) === undefined)
      throw new Error(`admits: "${source.ip}" is not an IPv4 address`);
    return admissions(this.state, groupIds, {
      protocol,
      port,
      ...("ip" in source ? { sourceIp: source.ip } : { sourceGroupIds: source.groupIds }),
    });
  }

  /** The rules of these groups that let in some internet address (on `port`, or on any port). */
  admitsInternet(groupIds: string[], port?: number, protocol: RuleProtocol = "tcp"): Admission[] {
    const rules =
      port === undefined
        ? this.state.securityGroups
            .filter((g) => groupIds.includes(g.id))
            .flatMap((group) => group.ingress.map((rule) => ({ group, rule })))
        : this.rulesAdmitting(groupIds, port, protocol);
    return rules.filter((a) => admitsInternetSource(a.rule.source));
  }

  /** Where a load balancer's traffic comes from: its security groups and its subnets' ranges. */
  loadBalancerSources(name: string): AllowedSources {
    const lb = this.loadBalancer(name);
    if (!lb) return { groupIds: [], cidrs: [] };
    return {
      groupIds: [...lb.securityGroupIds],
      cidrs: lb.subnetIds.flatMap((id) => this.subnet(id)?.cidr ?? []),
    };
  }

  /** What carries a security group: live instances and load balancers. */
  groupMembers(groupId: string): { instances: Instance[]; loadBalancers: LoadBalancer[] } {
    return {
      instances: this.state.instances.filter(
        (i) =>
          i.securityGroupIds.includes(groupId) &&
          i.state !== "terminated" &&
          i.state !== "shutting-down",
      ),
      loadBalancers: this.state.loadBalancers.filter((l) => l.securityGroupIds.includes(groupId)),
    };
  }

  /**
   * The rules of these groups that let `port` in from anything but `allowed`: a reference to another
   * group that something carries (a group nothing carries admits nobody), or a block that is not
   * inside one of the allowed ranges.
   */
  admittedOutside(
    groupIds: string[],
    port: number,
    allowed: AllowedSources,
    protocol: RuleProtocol = "tcp",
  ): Admission[] {
    const ranges = allowed.cidrs.map((c) => parseCidr(c));
    return this.rulesAdmitting(groupIds, port, protocol).filter(({ rule }) => {
      if (rule.source.startsWith("sg-")) {
        if (allowed.groupIds.includes(rule.source)) return false;
        const members = this.groupMembers(rule.source);
        return members.instances.length + members.loadBalancers.length > 0;
      }
      const source = parseCidr(rule.source);
      return !ranges.some((range) => cidrContains(range, source));
    });
  }

  /** Whether a principal ("user/ci", "role/deployer") may make a call, and which statement decided. */
  simulate(principal: Principal, action: string, resource: string) {
    return simulate(this.state, principal, action, resource);
  }

  /**
   * What a principal may do on the resources of this state (see resourceNames()) and on `extra`
   * resource names (ones that do not exist yet, such as "deployment/billing-v2").
   */
  grants(principal: Principal, extra: readonly string[] = []): Grant[] {
    return grantsOf(this.state, principal, [...new Set([...resourceNames(this.state), ...extra])]);
  }

  /** What a principal may do now that it could not in `before` (on the resources of both, and `extra`). */
  grantsGainedSince(
    before: CloudView,
    principal: Principal,
    extra: readonly string[] = [],
  ): Grant[] {
    // NOTE: both sides on the same names, so a resource made since is not mistaken for a new right.
    const names = [
      ...new Set([...resourceNames(before.state), ...resourceNames(this.state), ...extra]),
    ];
    const held = new Set(
      grantsOf(before.state, principal, names).map((g) => `${g.action} ${g.resource}`),
    );
    return grantsOf(this.state, principal, names).filter(
      (g) => !held.has(`${g.action} ${g.resource}`),
    );
  }

  /** The audit log's entries that match, oldest first. */
  audit(filter: AuditFilter = {}): AuditEntry[] {
    return this.state.audit.filter(
      (e) =>
        (filter.principal === undefined || e.principal === filter.principal) &&
        (filter.action === undefined ||
          (typeof filter.action === "string"
            ? e.action === filter.action
            : filter.action.test(e.action))) &&
        (filter.resource === undefined || e.resource === filter.resource) &&
        (filter.outcome === undefined || e.outcome === filter.outcome) &&
        (filter.sinceMs === undefined || e.timeMs >= filter.sinceMs),
    );
  }
}
