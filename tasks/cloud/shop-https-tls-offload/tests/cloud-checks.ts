// shop-https-tls-offload's grader, host-side: shop-lb serves HTTP and HTTPS, each on all three web servers, healthy
// and on a port they serve; the web servers stay reachable only through it; and, replaying the change from the
// audit log, HTTP served on every web server that served it before at every step.
import {
  CloudView,
  cloudChecks,
  replayAudit,
  settled,
  unchanged,
} from "../../../../src/cloud/queries";

/** Where a load balancer's node sits in a subnet of it: the subnet's fifth address. */
function nodeIp(cidr: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = cidr.split("/")[0]!.split(".").map(Number);
  const n = ((a * 256 + b) * 256 + c) * 256 + d + 5;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** The servers behind shop-lb's `port` that take its traffic: healthy, admitted from it, serving that port. */
function serving(view: CloudView, port: number): string[] {
  const lb = view.loadBalancer("shop-lb");
  const group = view.listenerTarget("shop-lb", port);
  if (!lb || lb.state !== "active" || !group) return [];
  const sources = view.loadBalancerSources("shop-lb");
  const health = view.targetHealth(group.name);
  return group.targets
    .filter((t) => {
      const i = view.instance(t.instanceId);
      if (!i || !health.some((h) => h.instanceId === i.id && h.state === "healthy")) return false;
      const admitted =
        view.admits(i.securityGroupIds, t.port, { groupIds: sources.groupIds }).length > 0 ||
        sources.cidrs.some(
          (c) => view.admits(i.securityGroupIds, t.port, { ip: nodeIp(c) }).length > 0,
        );
      const listens = view.state.images
        .find((m) => m.id === i.imageId)
        ?.listens.some((l) => l.port === t.port && l.protocol === "tcp" && l.httpPaths.length > 0);
      return admitted && listens === true;
    })
    .map((t) => t.instanceId);
}

export default cloudChecks(({ cloud, initial, check }) => {
  const webIds = ["web-1", "web-2", "web-3"].map((n) => initial.instanceIdNamed(n));
  const name = (id: string) => initial.instance(id)?.tags.Name ?? id;
  const www = cloud.resolve("www.shop.example");
  check(
    www.loadBalancer?.name === "shop-lb" && www.answers.length > 0,
    "www.shop.example resolves to shop-lb",
    `www.shop.example resolves as ${www.chain.join(" -> ") || "nothing"}, not to shop-lb`,
  );
  for (const [port, what] of [
    [80, "HTTP"],
    [443, "HTTPS"],
  ] as const) {
    const up = serving(cloud, port);
    const group = cloud.listenerTarget("shop-lb", port);
    const bad = group ? cloud.targetHealth(group.name).filter((h) => h.state !== "healthy") : [];
    check(
      webIds.every((id) => up.includes(id)) && bad.length === 0,
      `${what} (shop-lb:${port}) reaches web-1, web-2 and web-3, each healthy on a port it serves`,
      group
        ? `${what} (shop-lb:${port} -> ${group.name}) reaches ${up.map(name).join(", ") || "no server"}${bad.length ? `; unhealthy: ${bad.map((h) => `${name(h.instanceId)}:${h.port} ${h.reason}`).join(", ")}` : ""}`
        : `shop-lb has no ${what} listener on ${port}`,
    );
  }

  const webs = webIds.map((id) => cloud.instance(id));
  const groups = [...new Set(webs.flatMap((i) => i?.securityGroupIds ?? []))];
  const open = cloud.admitsInternet(groups);
  const bypass = cloud.admittedOutside(groups, 80, cloud.loadBalancerSources("shop-lb"));
  check(
    webs.every((i) => i?.state === "running") && open.length === 0 && bypass.length === 0,
    "the web servers run and take HTTP only through shop-lb, nothing from the internet",
    `web servers: ${webs.map((i) => i?.state ?? "gone").join(", ")}; also admitted: ${[...open, ...bypass].map((a) => `${a.rule.fromPort} from ${a.rule.source}`).join(", ") || "nothing"}`,
  );
  const db = cloud.instance(initial.instanceIdNamed("db-1"));
  const dbReach = webs.every(
    (i) =>
      i &&
      db &&
      cloud.admits(db.securityGroupIds, 5432, { groupIds: i.securityGroupIds }).length > 0,
  );
  const lbNow = cloud.loadBalancer("shop-lb");
  const lbWas = initial.loadBalancer("shop-lb")!;
  check(
    db?.state === "running" &&
      dbReach &&
      lbNow?.createdAtMs === lbWas.createdAtMs &&
      unchanged(lbWas.securityGroupIds, lbNow.securityGroupIds),
    "db-1 still admits every web server, and shop-lb is the same load balancer with the same groups",
    `db-1 ${db?.state ?? "gone"}, web servers admitted: ${dbReach}; shop-lb ${lbNow ? "changed" : "gone"}`,
  );

  // HTTP at every step: the servers that served it before kept serving it (a new one may join).
  const before = serving(initial, 80);
  const gaps: string[] = [];
  const replay = replayAudit(
    initial.state,
    cloud.audit({ outcome: "ok" }),
    cloud.state.nowMs,
    (step) => {
      for (const ms of [0, step.nextMs - step.entry.timeMs]) {
        const up = serving(new CloudView(settled(step.state, ms)), 80);
        const lost = before.filter((id) => !up.includes(id));
        if (lost.length)
          gaps.push(`after ${step.entry.action}: HTTP lost ${lost.map(name).join(", ")}`);
      }
    },
  );
  const shape = (s: CloudView["state"]) => [
    s.loadBalancers.map((l) => [l.name, l.listeners]),
    s.targetGroups.map((g) => [
      g.name,
      g.port,
      g.healthCheck,
      g.targets.map((t) => [t.instanceId, t.port]),
    ]),
    s.securityGroups,
  ];
  const same = replay.failed.length === 0 && unchanged(shape(replay.state), shape(cloud.state));
  check(
    same && gaps.length === 0,
    "HTTP kept serving on web-1 and web-2 at every step of the change",
    same
      ? `downtime: ${[...new Set(gaps)].slice(0, 3).join("; ")}`
      : "the change could not be replayed from the audit log",
  );
});
