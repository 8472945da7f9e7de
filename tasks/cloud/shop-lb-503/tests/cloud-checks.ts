// shop-lb-503's grader, host-side: the shop serves through shop-v2, and the web servers let HTTP in only from it.
import { cloudChecks } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const webIds = ["web-1", "web-2"].map((name) => initial.instanceIdNamed(name));
  const dbId = initial.instanceIdNamed("db-1");
  const bastion = initial.instance(initial.instanceIdNamed("bastion"))!;
  const web = webIds.map((id) => cloud.instance(id));
  const webGroups = [...new Set(web.flatMap((i) => i?.securityGroupIds ?? []))];

  const lb = cloud.loadBalancer("shop-v2");
  const group = cloud.listenerTarget("shop-v2", 80);
  check(
    lb?.state === "active" && group !== undefined,
    `shop-v2 is active and forwards port 80 to ${group?.name}`,
    "shop-v2 does not forward port 80 to a target group any more",
  );
  const health = group ? cloud.targetHealth(group.name) : [];
  const healthy = health.filter((t) => t.state === "healthy").map((t) => t.instanceId);
  check(
    webIds.every((id) => healthy.includes(id)) && healthy.length === health.length,
    "web-1 and web-2 are healthy behind shop-v2, and no target is unhealthy",
    `targets behind shop-v2: ${health.map((t) => `${t.instanceId} ${t.state} ${t.reason}`).join(", ") || "none"}`,
  );

  const www = cloud.resolve("www.shop.example");
  check(
    www.loadBalancer?.name === "shop-v2" && www.answers.length > 0,
    "www.shop.example resolves to shop-v2",
    `www.shop.example resolves as ${www.chain.join(" -> ") || "nothing"}, not to shop-v2`,
  );

  const bypass = cloud.admittedOutside(webGroups, 80, cloud.loadBalancerSources("shop-v2"));
  check(
    web.every((i) => i?.state === "running") && bypass.length === 0,
    "web-1 and web-2 run and let HTTP in only from the load balancer",
    `the web servers also let HTTP in from: ${bypass.map((a) => `${a.rule.source} (${a.group.name})`).join(", ") || "(a web server is not running)"}`,
  );
  const open = cloud.admitsInternet(webGroups);
  check(
    open.length === 0,
    "no rule on the web servers admits the internet, on any port",
    `open to the internet: ${open.map((a) => `${a.rule.protocol}/${a.rule.fromPort}-${a.rule.toPort} from ${a.rule.source} (${a.group.name})`).join(", ")}`,
  );
  check(
    cloud.admits(webGroups, 22, { ip: bastion.privateIp }).length > 0,
    "SSH from the ops subnet to the web servers still works",
    `the web servers no longer admit SSH from the bastion (${bastion.privateIp})`,
  );

  const db = cloud.instance(dbId);
  const dbGroups = db?.securityGroupIds ?? [];
  const dbOutside = cloud.admittedOutside(dbGroups, 5432, { groupIds: webGroups, cidrs: [] });
  check(
    db?.state === "running" &&
      cloud.admits(dbGroups, 5432, { groupIds: webGroups }).length > 0 &&
      dbOutside.length === 0,
    "db-1 runs and admits only the web servers on 5432",
    `db-1 is ${db?.state ?? "gone"}; 5432 from elsewhere: ${dbOutside.map((a) => a.rule.source).join(", ") || "none"}`,
  );
});
