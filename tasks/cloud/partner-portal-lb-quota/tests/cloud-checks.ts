// partner-portal-lb-quota's grader, host-side: the partner portal serves through its own load balancer under its
// name; the admin console serves from the shop's load balancer to the office and the VPN only; the shop and
// the status page are as they were; and, replaying the change from the audit log, the shop, the status
// page and the admin console served (from the office) at every step of it.
import { CloudView, cloudChecks, replayGaps, unchanged } from "../../../../src/cloud/queries";

type CloudState = CloudView["state"];
/** Where a load balancer's node sits in a subnet of it: the subnet's fifth address. */
function nodeIp(cidr: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = cidr.split("/")[0]!.split(".").map(Number);
  const n = ((a * 256 + b) * 256 + c) * 256 + d + 5;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

const OFFICE = "203.0.113.50";
const VPN = "198.51.100.70";
/** Addresses that must not reach the admin console: the internet, and inside the network. */
const OUTSIDERS = ["192.0.2.10", "198.51.100.10", "203.0.114.9", "10.20.10.10"];

/** Whether `name` serves `port` now: through an active load balancer, to a reachable, healthy target. */
function serves(view: CloudView, name: string, port: number, from?: string): string | null {
  const r = view.resolve(name);
  const lb = r.loadBalancer;
  if (!lb || lb.state !== "active" || r.answers.length === 0)
    return `${name} resolves to no active load balancer`;
  const group = view.listenerTarget(lb.name, port);
  if (!group) return `${lb.name} has no listener on ${port}`;
  if (from && view.admits(lb.securityGroupIds, port, { ip: from }).length === 0)
    return `${lb.name} does not let ${from} in on ${port}`;
  const sources = view.loadBalancerSources(lb.name);
  const health = view.targetHealth(group.name);
  const ok = group.targets.some((t) => {
    const i = view.instance(t.instanceId);
    if (!i || !health.some((h) => h.instanceId === i.id && h.state === "healthy")) return false;
    const checkPort = group.healthCheck.port ?? t.port;
    const reach = (p: number) =>
      view.admits(i.securityGroupIds, p, { groupIds: sources.groupIds }).length > 0 ||
      sources.cidrs.some((c) => view.admits(i.securityGroupIds, p, { ip: nodeIp(c) }).length > 0);
    return reach(t.port) && reach(checkPort);
  });
  return ok ? null : `no target behind ${lb.name}:${port} is reachable from it and healthy`;
}

/** The services that must serve at every step, and what is wrong with each now. */
function outages(state: CloudState): string[] {
  const view = new CloudView(state);
  return [
    serves(view, "www.shop.example", 80),
    serves(view, "www.shop.example", 443),
    serves(view, "status.shop.example", 80),
    serves(view, "admin.shop.example", 8443, OFFICE),
    serves(view, "admin.shop.example", 8443, VPN),
  ].filter((p): p is string => p !== null);
}

export default cloudChecks(({ cloud, initial, check }) => {
  // The partner portal.
  const partnerIds = ["partner-1", "partner-2"].map((n) => initial.instanceIdNamed(n));
  const portal = cloud.resolve("partners.shop.example");
  const portalLb = portal.loadBalancer;
  const portalGroup = portalLb ? cloud.listenerTarget(portalLb.name, 80) : undefined;
  const portalHealth = portalGroup ? cloud.targetHealth(portalGroup.name) : [];
  const healthyPartners = portalHealth
    .filter((h) => h.state === "healthy")
    .map((h) => h.instanceId);
  check(
    portalLb !== undefined &&
      portalLb.state === "active" &&
      serves(cloud, "partners.shop.example", 80, "192.0.2.10") === null &&
      partnerIds.every((id) => healthyPartners.includes(id)) &&
      healthyPartners.length === portalHealth.length,
    `partners.shop.example resolves to ${portalLb?.name}, which serves HTTP from the internet on partner-1 and partner-2, both healthy`,
    portalLb
      ? `partners.shop.example -> ${portalLb.name}: ${serves(cloud, "partners.shop.example", 80, "192.0.2.10") ?? `targets ${portalHealth.map((h) => `${h.instanceId} ${h.state} ${h.reason}`).join(", ") || "none"}`}`
      : `partners.shop.example resolves as ${portal.chain.join(" -> ") || "nothing"}, not to a load balancer`,
  );
  const shopLbNames = ["www", "admin", "status"].map(
    (n) => cloud.resolve(`${n}.shop.example`).loadBalancer?.name,
  );
  check(
    portalLb !== undefined && !shopLbNames.includes(portalLb.name),
    "the partner portal has a load balancer of its own",
    `the partner portal shares ${portalLb?.name ?? "no"} load balancer with the shop's other sites`,
  );

  // The admin console: served, from the office and the VPN only.
  const now = outages(cloud.state);
  check(
    now.length === 0,
    "www.shop.example (80, 443), status.shop.example and admin.shop.example (from the office and the VPN) serve",
    `not serving: ${now.join("; ")}`,
  );
  const adminLb = cloud.resolve("admin.shop.example").loadBalancer;
  const adminGroups = cloud.instance(initial.instanceIdNamed("admin-1"))?.securityGroupIds ?? [];
  const reached = adminLb
    ? OUTSIDERS.filter((ip) => cloud.admits(adminLb.securityGroupIds, 8443, { ip }).length > 0)
    : [];
  const wide = adminLb
    ? cloud.admittedOutside(adminLb.securityGroupIds, 8443, {
        groupIds: [],
        cidrs: ["203.0.113.0/24", "198.51.100.64/27"],
      })
    : [];
  const bypass = cloud.admittedOutside(
    adminGroups,
    8443,
    adminLb ? cloud.loadBalancerSources(adminLb.name) : { groupIds: [], cidrs: [] },
  );
  check(
    adminLb !== undefined &&
      reached.length === 0 &&
      wide.length === 0 &&
      bypass.length === 0 &&
      cloud.admitsInternet(adminGroups).length === 0,
    `the admin console takes 8443 only from the office and the VPN, through ${adminLb?.name}`,
    `the admin console is also reachable: ${[...reached.map((ip) => `from ${ip}`), ...wide.map((a) => `${adminLb?.name} from ${a.rule.source}`), ...bypass.map((a) => `admin-1 from ${a.rule.source} (${a.group.name})`)].join(", ") || "(it has no load balancer)"}`,
  );

  // The shop and the status page are as they were.
  const kept = ["shop-lb", "status-lb"].filter((name) => {
    const was = initial.loadBalancer(name)!;
    const is = cloud.loadBalancer(name);
    return (
      !is ||
      is.createdAtMs !== was.createdAtMs ||
      !unchanged(was.securityGroupIds, is.securityGroupIds) ||
      !was.listeners.every((l) => is.listeners.some((m) => unchanged(l, m)))
    );
  });
  const names: [string, "A" | "MX"][] = [
    ["www.shop.example", "A"],
    ["status.shop.example", "A"],
    ["shop.example", "MX"],
  ];
  const moved = names.filter(
    ([n, t]) => !unchanged(initial.resolve(n, t).chain, cloud.resolve(n, t).chain),
  );
  const internet = ["shop-lb", "status-lb"].flatMap((name) =>
    (initial.loadBalancer(name)?.listeners ?? [])
      .filter(
        (l) =>
          cloud.admits(cloud.loadBalancer(name)?.securityGroupIds ?? [], l.port, {
            ip: "192.0.2.10",
          }).length === 0,
      )
      .map((l) => `${name}:${l.port}`),
  );
  check(
    kept.length === 0 && moved.length === 0 && internet.length === 0,
    "shop-lb and status-lb keep their listeners and groups, still open to the internet, and www, status and the mail domain resolve as before",
    `changed: ${[...kept, ...moved.map(([n]) => n), ...internet].join(", ")}`,
  );
  const servers = [
    "web-1",
    "web-2",
    "status-1",
    "admin-1",
    "partner-1",
    "partner-2",
    "bastion",
  ].filter((n) => cloud.instance(initial.instanceIdNamed(n))?.state !== "running");
  check(servers.length === 0, "every server still runs", `not running: ${servers.join(", ")}`);

  // No downtime: replay the agent's calls on a copy of the initial state, and look at every step: right
  // after each call, once it has propagated, and just before the next one.
  const replay = replayGaps(
    initial.state,
    cloud.audit({ outcome: "ok" }),
    cloud.state.nowMs,
    outages,
  );
  const state = replay.state;
  const replayed = replay.failed.length === 0;
  // NOTE: the replay must end where the cloud is, or its verdict is worth nothing.
  const shape = (st: CloudState) => [
    st.loadBalancers.map((l) => [l.name, l.listeners, l.securityGroupIds]),
    st.securityGroups,
    st.targetGroups.map((g) => [g.name, g.healthCheck, g.targets.map((t) => t.instanceId)]),
    st.dnsZones.map((z) => z.records.map((r) => [r.name, r.type, r.values])),
  ];
  const same = replayed && unchanged(shape(state), shape(cloud.state));
  check(
    same && replay.gaps.length === 0,
    "the shop, the status page and the admin console served at every step of the change",
    same
      ? `downtime: ${replay.gaps.slice(0, 3).join("; ")}`
      : "the change could not be replayed from the audit log",
  );
});
