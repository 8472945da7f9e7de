// payments-rebuild-503's grader, host-side: the rebuilt payments servers serve through pay-lb under its unchanged
// health check and reach their database; nothing else reaches the servers or the database.
import { cloudChecks, unchanged } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const serverIds = ["payments-3", "payments-4"].map((name) => initial.instanceIdNamed(name));
  const servers = serverIds.map((id) => cloud.instance(id));
  const serverGroups = [...new Set(servers.flatMap((i) => i?.securityGroupIds ?? []))];
  const bastion = initial.instance(initial.instanceIdNamed("bastion"))!;
  const reportsId = initial.instanceIdNamed("reports-1");
  const dbId = initial.instanceIdNamed("pay-db-1");

  const lb = cloud.loadBalancer("pay-lb");
  const group = cloud.listenerTarget("pay-lb", 80);
  const before = initial.targetGroup("pay-api")!;
  check(
    lb?.state === "active" &&
      group !== undefined &&
      unchanged(before.healthCheck, group.healthCheck) &&
      group.port === before.port,
    "pay-lb forwards port 80 to a target group checked as before (HTTP /healthz on port 9090)",
    group
      ? `pay-lb's target group ${group.name} checks ${group.healthCheck.protocol} ${group.healthCheck.path} on port ${group.healthCheck.port ?? group.port}, not /healthz on 9090`
      : "pay-lb does not forward port 80 to a target group any more",
  );
  const health = group ? cloud.targetHealth(group.name) : [];
  const healthy = health.filter((t) => t.state === "healthy").map((t) => t.instanceId);
  check(
    servers.every((i) => i?.state === "running") &&
      serverIds.every((id) => healthy.includes(id)) &&
      healthy.length === health.length,
    "payments-3 and payments-4 run and are healthy behind pay-lb, and no target is unhealthy",
    `targets behind pay-lb: ${health.map((t) => `${t.instanceId} ${t.state} ${t.reason}`).join(", ") || "none"}`,
  );
  const api = cloud.resolve("api.pay.example");
  check(
    api.loadBalancer?.name === "pay-lb" && api.answers.length > 0,
    "api.pay.example resolves to pay-lb",
    `api.pay.example resolves as ${api.chain.join(" -> ") || "nothing"}, not to pay-lb`,
  );

  const lbSources = cloud.loadBalancerSources("pay-lb");
  const bypass = [8080, 9090].flatMap((port) =>
    cloud
      .admittedOutside(serverGroups, port, lbSources)
      .map((a) => `${port} from ${a.rule.source}`),
  );
  const open = cloud.admitsInternet(serverGroups);
  check(
    bypass.length === 0 && open.length === 0,
    "the payments servers let the API and its health port in only from pay-lb, and nothing from the internet",
    `the payments servers also let in: ${[...bypass, ...open.map((a) => `${a.rule.protocol}/${a.rule.fromPort}-${a.rule.toPort} from ${a.rule.source} (${a.group.name})`)].join(", ")}`,
  );
  check(
    cloud.admits(serverGroups, 22, { ip: bastion.privateIp }).length > 0,
    "SSH from the ops subnet to the payments servers still works",
    `the payments servers no longer admit SSH from the bastion (${bastion.privateIp})`,
  );

  const db = cloud.instance(dbId);
  const dbGroups = db?.securityGroupIds ?? [];
  const reportsGroups = cloud.instance(reportsId)?.securityGroupIds ?? [];
  // NOTE: by group or by address (a /32 per server is as tight as a group).
  const reach = servers.every(
    (i) =>
      i !== undefined &&
      (cloud.admits(dbGroups, 5432, { groupIds: i.securityGroupIds }).length > 0 ||
        cloud.admits(dbGroups, 5432, { ip: i.privateIp }).length > 0),
  );
  check(
    db?.state === "running" && reach,
    "pay-db-1 runs and admits payments-3 and payments-4 on 5432",
    `pay-db-1 is ${db?.state ?? "gone"}; 5432 from the payments servers: ${reach ? "yes" : "no"}`,
  );
  const dbOutside = cloud.admittedOutside(dbGroups, 5432, {
    groupIds: [...serverGroups, ...reportsGroups],
    cidrs: [...servers, cloud.instance(reportsId)].flatMap((i) => (i ? [`${i.privateIp}/32`] : [])),
  });
  check(
    cloud.admits(dbGroups, 5432, { groupIds: reportsGroups }).length > 0 &&
      dbOutside.length === 0 &&
      cloud.admitsInternet(dbGroups).length === 0,
    "pay-db-1 still admits the settlement reports, and no one else on 5432",
    `5432 on pay-db-1 from: ${dbOutside.map((a) => `${a.rule.source} (${a.group.name})`).join(", ") || "(not from reports-1)"}`,
  );
  check(
    cloud.admits(dbGroups, 22, { ip: bastion.privateIp }).length > 0,
    "SSH from the ops subnet to pay-db-1 still works",
    `pay-db-1 no longer admits SSH from the bastion (${bastion.privateIp})`,
  );

  const kept = ["reports-1", "bastion", "pay-db-1"].filter((name) => {
    const id = initial.instanceIdNamed(name);
    const now = cloud.instance(id);
    return (
      now?.state !== "running" ||
      !unchanged(initial.instance(id)!.securityGroupIds, now.securityGroupIds)
    );
  });
  check(
    kept.length === 0 &&
      unchanged(initial.loadBalancer("pay-lb")?.securityGroupIds, lb?.securityGroupIds),
    "reports-1, the bastion, pay-db-1 and pay-lb run with their security groups as before",
    `changed: ${kept.join(", ") || "pay-lb's security groups"}`,
  );
});
