// orders-release-8443's grader, host-side: orders-int serves release 5 only, from healthy servers in both zones,
// let in only from it, reaching the database; release 4 is gone; some server served throughout the change (the
// audit log replayed); the DR standby, the bastion, DNS and SSH from ops are as they were.
import { cloudChecks, type CloudView } from "../../../../src/cloud/queries";

type Instance = NonNullable<ReturnType<CloudView["instance"]>>;
type AuditEntry = ReturnType<CloudView["audit"]>[number];

/** A new target answers once its instance has booted (6 s) and the check's first round is over (5 s). */
const BOOT_MS = 6_000;
const FIRST_CHECK_MS = 5_000;

export default cloudChecks(({ cloud, initial, check }) => {
  const old = ["orders-1", "orders-2"].map((n) => initial.instanceIdNamed(n));
  const imageId = (name: string) => initial.state.images.find((m) => m.name === name)!.id;
  const release5 = imageId("orders-api-5");
  const bastion = initial.instance(initial.instanceIdNamed("bastion"))!;
  const dr = initial.instanceIdNamed("reports-dr");
  const db = cloud.instance(initial.instanceIdNamed("orders-db-1"));

  const group = cloud.listenerTarget("orders-int", 80);
  const health = group ? cloud.targetHealth(group.name) : [];
  const servers = health
    .filter((t) => t.state === "healthy")
    .map((t) => cloud.instance(t.instanceId)!)
    .filter((i) => i.imageId === release5);
  const zones = new Set(servers.map((s) => s.zone));
  check(
    health.length >= 2 && servers.length === health.length && zones.size >= 2,
    `orders-int serves release 5 only, from ${servers.length} healthy servers in ${zones.size} zones`,
    `orders-int's targets (${group?.name ?? "no target group"}): ${health.map((t) => `${cloud.instance(t.instanceId)?.tags.Name ?? t.instanceId} ${t.state} ${t.reason}`).join(", ") || "none"}; release 5 healthy in ${zones.size} zone(s)`,
  );

  const left = old.filter((id) => {
    const state = cloud.instance(id)?.state;
    return state !== undefined && state !== "terminated" && state !== "shutting-down";
  });
  check(
    left.length === 0,
    "the release 4 servers orders-1 and orders-2 are terminated",
    `still there: ${left.map((id) => initial.instance(id)?.tags.Name).join(", ")}`,
  );

  const www = cloud.resolve("orders.prod.internal");
  check(
    www.loadBalancer?.name === "orders-int" && www.answers.length > 0,
    "orders.prod.internal still resolves to orders-int",
    `orders.prod.internal resolves as ${www.chain.join(" -> ") || "nothing"}`,
  );

  const groups = [...new Set(servers.flatMap((s) => s.securityGroupIds))];
  const bypass = [8443, 8080].flatMap((port) =>
    cloud.admittedOutside(groups, port, cloud.loadBalancerSources("orders-int")),
  );
  const open = cloud.admitsInternet(groups);
  check(
    servers.length > 0 && bypass.length === 0 && open.length === 0,
    "the release 5 servers take API traffic only from orders-int, and nothing from the internet",
    `also let in: ${[...bypass, ...open].map((a) => `${a.rule.source} on ${a.rule.fromPort}-${a.rule.toPort} (${a.group.name})`).join(", ") || "(no release 5 server serves)"}`,
  );
  const stale = cloud.rulesAdmitting(groups, 8080);
  check(
    servers.length > 0 && stale.length === 0,
    "release 4's port 8080 is closed on the orders servers",
    `8080 is still let in: ${stale.map((a) => `${a.rule.source} (${a.group.name})`).join(", ") || "(no release 5 server serves)"}`,
  );

  const dbGroups = db?.securityGroupIds ?? [];
  const unreached = servers.filter(
    (s) => cloud.admits(dbGroups, 5432, { groupIds: s.securityGroupIds }).length === 0,
  );
  const dbOutside = cloud.admittedOutside(dbGroups, 5432, { groupIds: groups, cidrs: [] });
  check(
    db?.state === "running" &&
      servers.length > 0 &&
      unreached.length === 0 &&
      dbOutside.length === 0,
    "the release 5 servers reach orders-db-1 on 5432, and nothing else does",
    `orders-db-1 ${db?.state ?? "gone"}; not reached by: ${unreached.map((s) => s.tags.Name ?? s.id).join(", ") || "-"}; also let in: ${dbOutside.map((a) => a.rule.source).join(", ") || "-"}`,
  );
  const likeOld = (s: Instance) => s.role === "orders-api" && s.type === "medium";
  check(
    servers.length > 0 &&
      servers.every(
        (s) =>
          likeOld(s) && cloud.admits(s.securityGroupIds, 22, { ip: bastion.privateIp }).length > 0,
      ),
    "the release 5 servers are built like release 4's (medium, orders-api role, SSH from the bastion)",
    `differs from release 4's servers: ${
      servers
        .filter(
          (s) =>
            !likeOld(s) ||
            cloud.admits(s.securityGroupIds, 22, { ip: bastion.privateIp }).length === 0,
        )
        .map((s) => s.tags.Name ?? s.id)
        .join(", ") || "(no release 5 server serves)"
    }`,
  );
  const bastionNow = cloud.instance(bastion.id)?.state;
  check(
    cloud.instance(dr)?.state === "stopped" && bastionNow === "running",
    "the DR standby reports-dr is still there, stopped, and the bastion still runs",
    `reports-dr is ${cloud.instance(dr)?.state ?? "gone"}, the bastion ${bastionNow ?? "gone"}`,
  );

  // No downtime: replay the change. When a release 4 server stopped serving (deregistered, stopped,
  // rebooted or terminated), another one must have been serving: the other release 4 server, or a target
  // that had booted and passed its first check by then. The listener can only be replaced with a gap.
  const nameOf = (ref: unknown) => {
    const text = String(ref);
    return old.find((id) => id === text || initial.instance(id)?.tags.Name === text);
  };
  const initialGroup = initial.listenerTarget("orders-int", 80)!.name;
  const ok = cloud.audit({ outcome: "ok" });
  const removedAt = new Map<string, number>();
  const gaps: string[] = [];
  const note = (id: string | undefined, e: AuditEntry) => {
    if (id && !removedAt.has(id)) removedAt.set(id, e.timeMs);
  };
  for (const e of ok) {
    if (e.action === "DeregisterTargets" && e.params["target-group"] === initialGroup) {
      const ids = ([] as unknown[]).concat(e.params.instances ?? []);
      for (const id of ids) note(nameOf(id), e);
    } else if (/^(Terminate|Stop|Reboot)Instances$/.test(e.action)) {
      note(nameOf(e.params.instance), e);
    } else if (
      (e.action === "DeleteListener" || e.action === "DeleteLoadBalancer") &&
      e.params["load-balancer"] === "orders-int"
    ) {
      gaps.push(`orders-int lost its listener (${e.action})`);
    }
  }
  const newTargets = (group?.targets ?? []).filter((t) => !old.includes(t.instanceId));
  const servingAt = (t: number, except: string) =>
    old.some((id) => id !== except && (removedAt.get(id) ?? Infinity) > t) ||
    newTargets.some((target) => {
      const instance = cloud.instance(target.instanceId);
      return (
        instance !== undefined &&
        health.some((h) => h.instanceId === target.instanceId && h.state === "healthy") &&
        target.registeredAtMs + FIRST_CHECK_MS <= t &&
        instance.launchedAtMs + BOOT_MS + FIRST_CHECK_MS <= t
      );
    });
  for (const [id, t] of removedAt) {
    if (!servingAt(t, id))
      gaps.push(`nothing served when ${initial.instance(id)?.tags.Name} was taken out`);
  }
  check(
    gaps.length === 0,
    "some server served the API at every step of the change",
    `downtime: ${gaps.join("; ")}`,
  );
});
