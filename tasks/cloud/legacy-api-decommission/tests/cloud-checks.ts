// legacy-api-decommission's grader, host-side: the legacy load balancer, target group, servers, data volumes and
// the load balancer's group are gone; each volume went only after a final snapshot of it had completed; the
// partners' name was on api-v2 before the legacy load balancer went; billing-cron (tagged as legacy, but
// still in use) runs with its database and SSH; api-v2, its database and the rest of DNS are as they were.
import { cloudChecks, unchanged } from "../../../../src/cloud/queries";

/** A snapshot completes 5 s after it starts (SNAPSHOT_MS); DNS changes propagate in 4 s (DNS_PROPAGATION_MS). */
const SNAPSHOT_MS = 5_000;
const DNS_PROPAGATION_MS = 4_000;

export default cloudChecks(({ cloud, initial, check }) => {
  const id = (name: string) => initial.instanceIdNamed(name);
  const fq = (name: unknown) => String(name).toLowerCase().replace(/\.$/, "");

  const lbGone = cloud.loadBalancer("legacy") === undefined;
  const tgGone = cloud.targetGroup("legacy-api") === undefined;
  const lbGroup = initial.securityGroup("legacy-lb")!.id;
  const sgGone = cloud.securityGroup(lbGroup) === undefined;
  check(
    lbGone && tgGone && sgGone,
    "the legacy load balancer, its target group legacy-api and its security group legacy-lb are gone",
    `still there: ${[lbGone ? "" : "the legacy load balancer", tgGone ? "" : "target group legacy-api", sgGone ? "" : "security group legacy-lb"].filter(Boolean).join(", ")}`,
  );
  const oldServers = ["api-old-1", "api-old-2"];
  const left = oldServers.filter((n) => {
    const state = cloud.instance(id(n))?.state;
    return state !== undefined && state !== "terminated" && state !== "shutting-down";
  });
  check(
    left.length === 0,
    "the legacy API servers api-old-1 and api-old-2 are terminated",
    `still there: ${left.join(", ")}`,
  );

  // Each data volume: deleted, and only after a snapshot of it taken for the change had completed.
  const problems: string[] = [];
  for (const name of ["legacy-uploads", "legacy-uploads-b"]) {
    const volumeId = initial.volumeIdNamed(name);
    if (cloud.volume(volumeId)) {
      problems.push(`${name} is still there`);
      continue;
    }
    const deleted = cloud
      .audit({ action: "DeleteVolume", outcome: "ok" })
      .find((e) => e.params.volume === volumeId || e.params.volume === name);
    const finals = cloud
      .snapshotsOf(volumeId)
      .filter((s) => s.startedAtMs >= initial.nowMs && s.state === "completed");
    const before = finals.filter(
      (s) => deleted !== undefined && s.startedAtMs + SNAPSHOT_MS <= deleted.timeMs,
    );
    if (finals.length === 0) problems.push(`${name} was deleted without a final snapshot`);
    else if (before.length === 0)
      problems.push(`${name} was deleted before its final snapshot had completed`);
  }
  const kept = initial.state.snapshots.filter((s) => !cloud.snapshot(s.id));
  if (kept.length) problems.push(`earlier snapshots deleted: ${kept.map((s) => s.id).join(", ")}`);
  check(
    problems.length === 0,
    "the legacy data volumes are deleted, each only after a final snapshot of it had completed",
    problems.join("; "),
  );

  // partners.api.example.com moved to api-v2, and before the legacy load balancer went.
  const partners = cloud.resolve("partners.api.example.com");
  const lbDeleted = cloud
    .audit({ action: "DeleteLoadBalancer", outcome: "ok" })
    .find(
      (e) =>
        e.params["load-balancer"] === "legacy" ||
        fq(e.params["load-balancer"]) === "legacy-lb.eu-west-1.cloud.internal",
    );
  const moved = cloud
    .audit({ action: "UpsertRecord", outcome: "ok" })
    .filter(
      (e) =>
        fq(e.params.name) === "partners.api.example.com" &&
        ([] as unknown[])
          .concat(e.params.values)
          .some((v) => fq(v) === "api-v2-lb.eu-west-1.cloud.internal"),
    );
  const firstMove = moved[0];
  const inTime =
    lbDeleted === undefined ||
    (firstMove !== undefined && firstMove.timeMs + DNS_PROPAGATION_MS <= lbDeleted.timeMs);
  check(
    partners.loadBalancer?.name === "api-v2" && partners.answers.length > 0 && inTime,
    "partners.api.example.com resolves to api-v2, and did before the legacy load balancer was deleted",
    partners.loadBalancer?.name === "api-v2"
      ? "partners.api.example.com answered nothing while the legacy load balancer was gone and its change had not propagated"
      : `partners.api.example.com resolves as ${partners.chain.join(" -> ") || "nothing"}`,
  );
  const names: [string, "A" | "MX"][] = [
    ["api.example.com", "A"],
    ["v1.api.example.com", "A"],
    ["www.example.com", "A"],
    ["example.com", "MX"],
  ];
  const changed = names.filter(
    ([n, t]) =>
      !unchanged(initial.resolve(n, t).answers, cloud.resolve(n, t).answers) ||
      initial.resolve(n, t).loadBalancer?.name !== cloud.resolve(n, t).loadBalancer?.name,
  );
  check(
    changed.length === 0,
    "api, v1.api, www and the mail of example.com resolve as before",
    `changed: ${changed.map(([n, t]) => `${n} ${t}`).join(", ")}`,
  );

  const cron = cloud.instance(id("billing-cron"));
  const db = cloud.instance(id("api-db-1"));
  const bastion = cloud.instance(id("bastion"));
  const spool = cloud.volume(initial.volumeIdNamed("billing-spool"));
  const cronDb =
    cron !== undefined &&
    db !== undefined &&
    (cloud.admits(db.securityGroupIds, 5432, { groupIds: cron.securityGroupIds }).length > 0 ||
      cloud.admits(db.securityGroupIds, 5432, { ip: cron.privateIp }).length > 0);
  const cronSsh =
    cron !== undefined &&
    bastion !== undefined &&
    (cloud.admits(cron.securityGroupIds, 22, { groupIds: bastion.securityGroupIds }).length > 0 ||
      cloud.admits(cron.securityGroupIds, 22, { ip: bastion.privateIp }).length > 0);
  check(
    cron?.state === "running" &&
      spool?.attachment?.instanceId === cron.id &&
      cronDb &&
      cronSsh &&
      cloud.admitsInternet(cron.securityGroupIds).length === 0,
    "billing-cron still runs with its spool volume, reaches the database, takes SSH from the bastion and nothing from the internet",
    `billing-cron: ${cron?.state ?? "gone"}; spool ${spool?.attachment?.instanceId === cron?.id ? "attached" : "not attached"}; database ${cronDb ? "reached" : "NOT reached"}; SSH from the bastion ${cronSsh ? "yes" : "NO"}; open to the internet: ${cron ? cloud.admitsInternet(cron.securityGroupIds).length : 0} rule(s)`,
  );

  const v2 = cloud.targetHealth(cloud.listenerTarget("api-v2", 443)?.name ?? "");
  const healthy = v2.filter((t) => t.state === "healthy").map((t) => t.instanceId);
  const v2Db = ["api-v2-1", "api-v2-2"].every((n) => {
    const s = cloud.instance(id(n));
    return (
      s !== undefined &&
      db !== undefined &&
      cloud.admits(db.securityGroupIds, 5432, { groupIds: s.securityGroupIds }).length > 0
    );
  });
  const data = cloud.volume(initial.volumeIdNamed("api-db-data"));
  check(
    [id("api-v2-1"), id("api-v2-2")].every((s) => healthy.includes(s)) &&
      v2Db &&
      db?.state === "running" &&
      data?.attachment?.instanceId === db.id,
    "api-v2 serves from both servers, which reach api-db-1 and its data volume",
    `api-v2's targets: ${v2.map((t) => `${cloud.instance(t.instanceId)?.tags.Name ?? t.instanceId} ${t.state}`).join(", ") || "none"}; database ${v2Db ? "reached" : "NOT reached"}; api-db-1 ${db?.state ?? "gone"}, data ${data?.attachment ? "attached" : "not attached"}`,
  );
});
