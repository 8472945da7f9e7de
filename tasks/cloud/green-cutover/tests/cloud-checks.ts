// green-cutover's grader, host-side: www goes to shop-green, serving release 2 from healthy green servers let in
// only from it; the blue stack is exactly as it was and still serves.
import { cloudChecks, unchanged, type CloudView } from "../../../../src/cloud/queries";

/** The servers, by name, as the task begins. */
const SERVERS = ["blue-1", "blue-2", "green-1", "green-2", "db-1"];

/** The parts of the blue stack (load balancer, target group, groups, servers) that are not as they were. */
function blueStackChanges(initial: CloudView, cloud: CloudView, servers: string[]): string[] {
  const lb = initial.loadBalancer("shop-blue")!;
  const group = initial.listenerTarget("shop-blue", 80)!;
  const groupIds = [
    ...lb.securityGroupIds,
    ...servers.flatMap((s) => initial.instance(s)!.securityGroupIds),
  ];
  const parts: [string, unknown, unknown][] = [
    ["shop-blue", lb, cloud.loadBalancer("shop-blue")],
    [group.name, group, cloud.targetGroup(group.name)],
    ...[...new Set(groupIds)].map((g): [string, unknown, unknown] => [
      initial.securityGroup(g)!.name,
      initial.securityGroup(g),
      cloud.securityGroup(g),
    ]),
    ...servers.map((s): [string, unknown, unknown] => [s, initial.instance(s), cloud.instance(s)]),
  ];
  return parts.filter(([, before, after]) => !unchanged(before, after)).map(([name]) => name);
}

export default cloudChecks(({ cloud, initial, check }) => {
  const [blue1, blue2, green1, green2, db1] = SERVERS.map((n) => initial.instanceIdNamed(n));
  const release2 = initial.state.images.find((m) => m.name === "shop-web-2")!.id;

  const www = cloud.resolve("www.shop.example");
  check(
    www.loadBalancer?.name === "shop-green" && www.answers.length > 0,
    "www.shop.example resolves to shop-green",
    `www.shop.example resolves as ${www.chain.join(" -> ") || "nothing"}, not to shop-green`,
  );

  const green = cloud.listenerTarget("shop-green", 80);
  const health = green ? cloud.targetHealth(green.name) : [];
  const serving = health.filter(
    (t) => t.state === "healthy" && cloud.instance(t.instanceId)?.imageId === release2,
  );
  check(
    health.length > 0 &&
      serving.length === health.length &&
      [green1, green2].every((g) => serving.some((t) => t.instanceId === g)),
    `shop-green serves release 2 from green-1 and green-2, all healthy (${green?.name})`,
    `shop-green port 80 (${green?.name ?? "no target group"}): ${health.map((t) => `${t.instanceId} ${t.state} ${t.reason}`).join(", ") || "no targets"}`,
  );

  // What listens on the green servers matters, not stale rules for ports nothing answers on.
  const greenGroups = [
    ...new Set([green1, green2].flatMap((g) => cloud.instance(g!)?.securityGroupIds ?? [])),
  ];
  const httpPorts = [...new Set([green1, green2].flatMap((g) => cloud.httpPorts(g!)))];
  const lbSources = cloud.loadBalancerSources("shop-green");
  const bypass = httpPorts.flatMap((port) => cloud.admittedOutside(greenGroups, port, lbSources));
  check(
    bypass.length === 0,
    "the green servers let HTTP in only from shop-green",
    `the green servers also let HTTP in from: ${bypass.map((a) => `${a.rule.source} on ${a.rule.fromPort} (${a.group.name})`).join(", ")}`,
  );
  const servers = [blue1, blue2, green1, green2].map((s) => cloud.instance(s!));
  const open = cloud.admitsInternet([
    ...new Set(servers.flatMap((s) => s?.securityGroupIds ?? [])),
  ]);
  check(
    open.length === 0,
    "no web server is open to the internet, on any port",
    `open to the internet: ${open.map((a) => `${a.rule.source} on ${a.rule.fromPort}-${a.rule.toPort} (${a.group.name})`).join(", ")}`,
  );

  // The way back: blue's load balancer, target group, groups and servers as they were, and healthy.
  const blueGroup = initial.listenerTarget("shop-blue", 80)!;
  const changed = blueStackChanges(initial, cloud, [blue1!, blue2!]);
  const blueHealthy = cloud
    .targetHealth(blueGroup.name)
    .filter((t) => t.state === "healthy")
    .map((t) => t.instanceId);
  check(
    changed.length === 0 && [blue1, blue2].every((b) => blueHealthy.includes(b!)),
    "the blue stack is as it was and blue-1 and blue-2 are healthy behind shop-blue (the way back)",
    `the blue stack changed (${changed.join(", ") || "nothing"}) or is unhealthy (healthy: ${blueHealthy.join(", ") || "none"})`,
  );

  const db = cloud.instance(db1!);
  const webGroups = servers.flatMap((s) => s?.securityGroupIds ?? []);
  const dbOutside = cloud.admittedOutside(db?.securityGroupIds ?? [], 5432, {
    groupIds: webGroups,
    cidrs: [],
  });
  const reaches = (server: string | undefined) =>
    cloud.admits(db?.securityGroupIds ?? [], 5432, {
      groupIds: cloud.instance(server!)?.securityGroupIds ?? [],
    }).length > 0;
  check(
    db?.state === "running" && reaches(blue1) && reaches(green1) && dbOutside.length === 0,
    "db-1 runs and admits the blue and green servers, and only them, on 5432",
    `db-1 is ${db?.state ?? "gone"}; 5432 from elsewhere: ${dbOutside.map((a) => a.rule.source).join(", ") || "none"}`,
  );
  const down = servers.filter((s) => s?.state !== "running").length;
  check(down === 0, "all four web servers still run", `${down} web server(s) no longer run`);
});
