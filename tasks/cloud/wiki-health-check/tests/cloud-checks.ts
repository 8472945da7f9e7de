// wiki-health-check's grader, host-side: wiki.corp.internal goes through a load balancer to both wiki servers, all
// healthy; the servers take traffic only from it; nothing else opened or stopped.
import { cloudChecks } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const [wiki1, wiki2, db] = ["wiki-1", "wiki-2", "wiki-db"].map((n) => initial.instanceIdNamed(n));
  const servers = [wiki1!, wiki2!];

  const wiki = cloud.resolve("wiki.corp.internal");
  const lb = wiki.loadBalancer;
  check(
    lb?.state === "active" && wiki.answers.length > 0,
    `wiki.corp.internal resolves to load balancer ${lb?.name}`,
    `wiki.corp.internal resolves as ${wiki.chain.join(" -> ") || "nothing"} (${wiki.answers.join(", ") || "no answer"}), not to a load balancer`,
  );

  const group = lb && cloud.listenerTarget(lb.name, 80);
  const health = group ? cloud.targetHealth(group.name) : [];
  const healthy = health.filter((t) => t.state === "healthy").map((t) => t.instanceId);
  check(
    servers.every((s) => healthy.includes(s)) && healthy.length === health.length,
    `wiki-1 and wiki-2 are healthy behind port 80 (target group ${group?.name})`,
    `targets behind port 80 (${group?.name ?? "none"}): ${health.map((t) => `${t.instanceId} ${t.state} ${t.reason}`).join(", ") || "none"}`,
  );

  const groups = [...new Set(servers.flatMap((s) => cloud.instance(s)?.securityGroupIds ?? []))];
  // The load balancer in front of the servers: the one the name resolves to, else the one it did.
  const front = lb ?? cloud.loadBalancer(initial.resolve("wiki.corp.internal").loadBalancer!.name);
  const sources = front ? cloud.loadBalancerSources(front.name) : { groupIds: [], cidrs: [] };
  const bypass = [...cloud.admittedOutside(groups, 8080, sources), ...cloud.admitsInternet(groups)];
  check(
    bypass.length === 0,
    "the wiki servers take web traffic only from the load balancer, and nothing from the internet",
    `the wiki servers also let in: ${[...new Set(bypass.map((a) => `${a.rule.source} (${a.group.name})`))].join(", ")}`,
  );

  const dbGroups = cloud.instance(db!)?.securityGroupIds ?? [];
  const dbOutside = cloud.admittedOutside(dbGroups, 5432, { groupIds: groups, cidrs: [] });
  check(
    cloud.admits(dbGroups, 5432, { groupIds: groups }).length > 0 && dbOutside.length === 0,
    "the database admits the wiki servers, and only them",
    `the database's 5432: ${dbOutside.map((a) => a.rule.source).join(", ") || "closed to the wiki servers"}`,
  );
  const down = [wiki1, wiki2, db].filter((i) => cloud.instance(i!)?.state !== "running");
  check(
    down.length === 0,
    "wiki-1, wiki-2 and wiki-db still run",
    `not running: ${down.join(", ")}`,
  );
});
