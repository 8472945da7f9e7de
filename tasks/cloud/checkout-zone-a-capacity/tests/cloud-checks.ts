// checkout-zone-a-capacity's grader, host-side: a new checkout server in eu-west-1a, built like checkout-1 (image,
// type, groups, no public address), serves healthy behind checkout-lb and reaches the database; the database
// lets in no other server than before but the new one; the other servers, the old checkout servers' health
// and the existing subnets are as they were.
import { cloudChecks } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const model = initial.instance(initial.instanceIdNamed("checkout-1"))!;
  const db = cloud.instance(initial.instanceIdNamed("shop-db-1"));
  const group = cloud.listenerTarget("checkout-lb", 443);
  const health = group ? cloud.targetHealth(group.name) : [];
  const healthy = new Set(health.filter((t) => t.state === "healthy").map((t) => t.instanceId));
  const fresh = cloud.state.instances.filter(
    (i) =>
      !initial.instance(i.id) &&
      i.state !== "terminated" &&
      i.state !== "shutting-down" &&
      i.imageId === model.imageId,
  );
  const likeModel = (i: (typeof fresh)[number]) =>
    i.type === model.type &&
    i.publicIp === null &&
    [...i.securityGroupIds].sort().join() === [...model.securityGroupIds].sort().join();
  const reachesDb = (i: (typeof fresh)[number]) =>
    db !== undefined &&
    (cloud.admits(db.securityGroupIds, 5432, { groupIds: i.securityGroupIds }).length > 0 ||
      cloud.admits(db.securityGroupIds, 5432, { ip: i.privateIp }).length > 0);
  const good = fresh.filter((i) => i.zone === "eu-west-1a" && healthy.has(i.id));
  check(
    good.length > 0,
    "a new checkout server in eu-west-1a serves healthy behind checkout-lb",
    `new checkout servers: ${fresh.map((i) => `${i.tags.Name ?? i.id} in ${i.zone}, ${healthy.has(i.id) ? "healthy" : "not healthy"} behind checkout-lb`).join("; ") || "none"}`,
  );
  check(
    good.length > 0 && good.every(likeModel),
    "it is built like checkout-1 (medium, the checkout-app group only, no public address)",
    good.length
      ? `differs from checkout-1: ${good
          .filter((i) => !likeModel(i))
          .map(
            (i) =>
              `${i.tags.Name ?? i.id}: ${i.type}, groups ${i.securityGroupIds.join(",")}, public address ${i.publicIp ?? "none"}`,
          )
          .join("; ")}`
      : "(no new server serves in eu-west-1a)",
  );
  check(
    good.length > 0 && good.every(reachesDb),
    "it reaches the database shop-db-1 on 5432",
    good.length
      ? `cut off from the database: ${good
          .filter((i) => !reachesDb(i))
          .map((i) => i.tags.Name ?? i.id)
          .join(", ")}`
      : "(no new server serves in eu-west-1a)",
  );

  // The database lets in no server it did not before, but the new checkout servers.
  const admittedIn = (view: typeof cloud, i: (typeof fresh)[number]) => {
    const d = view.instance(initial.instanceIdNamed("shop-db-1"));
    return (
      d !== undefined &&
      (view.admits(d.securityGroupIds, 5432, { groupIds: i.securityGroupIds }).length > 0 ||
        view.admits(d.securityGroupIds, 5432, { ip: i.privateIp }).length > 0)
    );
  };
  const widened = cloud.state.instances.filter(
    (i) =>
      i.state !== "terminated" &&
      !fresh.includes(i) &&
      admittedIn(cloud, i) &&
      !(initial.instance(i.id) && admittedIn(initial, initial.instance(i.id)!)),
  );
  const open = db ? cloud.admitsInternet(db.securityGroupIds) : [];
  check(
    db?.state === "running" && widened.length === 0 && open.length === 0,
    "shop-db-1 lets in no server on 5432 that it did not before, but the new checkout servers",
    `shop-db-1 ${db?.state ?? "gone"}; now also lets in: ${widened.map((i) => i.tags.Name ?? i.id).join(", ") || "-"}${open.length ? `; the internet (${open.map((a) => a.rule.source).join(", ")})` : ""}`,
  );

  const old = ["checkout-1", "checkout-2", "checkout-3"].map((n) => initial.instanceIdNamed(n));
  const sick = old.filter((id) => !healthy.has(id) || !admittedIn(cloud, cloud.instance(id)!));
  check(
    sick.length === 0,
    "checkout-1, checkout-2 and checkout-3 still serve healthy and reach the database",
    `not serving or cut off from the database: ${sick.map((id) => initial.instance(id)?.tags.Name).join(", ")}`,
  );
  const others = ["pci-cert-runner", "fraud-scorer-a", "reports-1", "shop-db-1"].filter((n) => {
    const before = initial.instance(initial.instanceIdNamed(n))!;
    const now = cloud.instance(before.id);
    return (
      now?.state !== before.state ||
      now.privateIp !== before.privateIp ||
      now.securityGroupIds.join() !== before.securityGroupIds.join()
    );
  });
  const subnets = initial.state.subnets.filter((s) => {
    const now = cloud.subnet(s.id);
    return !now || now.cidr !== s.cidr || now.public !== s.public;
  });
  check(
    others.length === 0 && subnets.length === 0,
    "the other teams' servers and the existing subnets are as they were",
    `changed: ${[...others, ...subnets.map((s) => `subnet ${s.name}`)].join(", ")}`,
  );
});
