// reports-zone-retirement's grader, host-side: nothing of ours is left in eu-west-1c; reports.corp.example serves
// from a server outside it, with its data restored from a snapshot taken today and the database letting it in;
// the export volume came along; every deleted volume has a completed snapshot kept; nothing was opened; and,
// replaying the change from the audit log, finance got the real reports at every step of it.
import { CloudView, cloudChecks, replayGaps, unchanged } from "../../../../src/cloud/queries";

type CloudState = CloudView["state"];
const RETIRED = "eu-west-1c";
const SITE = "reports.corp.example";
const DATA = "vol-0c81e5a3f7d2b9460";
const EXPORT = "vol-0a37d9f1c5e2b8614";
const DB = "i-0a5d1e8c3f7b2a947";
const OFFICE = "203.0.113.50";
const VPN = "198.51.100.70";
/** Snapshots complete in 5 s (SNAPSHOT_MS). */
const SNAPSHOT_MS = 5_000;

/** Where a load balancer's node sits in a subnet of it: the subnet's fifth address. */
function nodeIp(cidr: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = cidr.split("/")[0]!.split(".").map(Number);
  const n = ((a * 256 + b) * 256 + c) * 256 + d + 5;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** The volume `id` is the reports data: the original, or restored from a snapshot of it (taken at or after `sinceMs`). */
function holdsData(view: CloudView, id: string | undefined, sinceMs = -Infinity): boolean {
  const volume = id === undefined ? undefined : view.volume(id);
  if (!volume) return false;
  if (volume.id === DATA) return sinceMs === -Infinity;
  const snapshot = volume.snapshotId ? view.snapshot(volume.snapshotId) : undefined;
  return snapshot?.volumeId === DATA && snapshot.startedAtMs >= sinceMs;
}

/** Whether the finance database lets this instance in on 5432. */
function dbAdmits(view: CloudView, instanceId: string): boolean {
  const instance = view.instance(instanceId);
  const db = view.instance(DB);
  if (!instance || !db) return false;
  return (
    view.admits(db.securityGroupIds, 5432, { ip: instance.privateIp }).length > 0 ||
    view.admits(db.securityGroupIds, 5432, { groupIds: instance.securityGroupIds }).length > 0
  );
}

/**
 * What is wrong with the reports site now (null: it serves the real reports to the office and the VPN): the
 * name resolves to an active load balancer that lets them in on 443, and its targets that are healthy (one at
 * least) all have the reports data at /dev/sdf and get into the database.
 * NOTE: health as the load balancer the name resolves to sees it: a second load balancer on the same target
 * group does not count (the simulation restarts a group's checks when any load balancer using it is made).
 */
function problem(state: CloudState): string | null {
  const all = new CloudView(state);
  const lb = all.resolve(SITE).loadBalancer;
  if (!lb || lb.state !== "active") return `${SITE} resolves to no active load balancer`;
  const view = new CloudView({ ...state, loadBalancers: [lb] });
  for (const ip of [OFFICE, VPN])
    if (view.admits(lb.securityGroupIds, 443, { ip }).length === 0)
      return `${lb.name} does not let ${ip} in on 443`;
  const group = view.listenerTarget(lb.name, 443);
  if (!group) return `${lb.name} has no listener on 443`;
  const sources = view.loadBalancerSources(lb.name);
  const healthy = view
    .targetHealth(group.name)
    .filter((h) => h.state === "healthy")
    .map((h) => view.instance(h.instanceId)!)
    .filter((i) => {
      const port = group.healthCheck.port ?? group.port;
      return (
        view.admits(i.securityGroupIds, port, { groupIds: sources.groupIds }).length > 0 ||
        sources.cidrs.some(
          (c) => view.admits(i.securityGroupIds, port, { ip: nodeIp(c) }).length > 0,
        )
      );
    });
  if (healthy.length === 0) return `no healthy target behind ${lb.name}`;
  for (const i of healthy) {
    const name = i.tags.Name ?? i.id;
    if (!holdsData(view, view.volumeAt(i.id, "/dev/sdf")?.id))
      return `${name} takes traffic without the reports data at /dev/sdf`;
    if (!dbAdmits(view, i.id)) return `${name} takes traffic but the database does not let it in`;
  }
  return null;
}

export default cloudChecks(({ cloud, initial, check }) => {
  const startMs = initial.nowMs;
  // The site, now.
  const now = problem(cloud.state);
  check(
    now === null,
    `${SITE} serves the real reports to the office and the VPN`,
    `${SITE}: ${now}`,
  );
  const lb = cloud.resolve(SITE).loadBalancer;
  const group = lb ? cloud.listenerTarget(lb.name, 443) : undefined;
  const servers = group
    ? cloud
        .targetHealth(group.name)
        .filter((h) => h.state === "healthy")
        .map((h) => cloud.instance(h.instanceId)!)
    : [];
  const fresh = servers.filter((i) =>
    holdsData(cloud, cloud.volumeAt(i.id, "/dev/sdf")?.id, startMs),
  );
  const disk = servers.map((i) => cloud.volumeAt(i.id, "/dev/sdf"));
  check(
    servers.length > 0 &&
      fresh.length === servers.length &&
      disk.every((v) => v?.type === "ssd" && v.sizeGiB >= 200),
    "the reports server's data is restored from a snapshot taken today, on an ssd volume as large as before",
    servers.length === 0
      ? "no reports server serves"
      : `reports data at /dev/sdf: ${disk.map((v) => (v ? `${v.id} (${v.type}, ${v.sizeGiB} GiB, from ${v.snapshotId ?? "no snapshot"})` : "none")).join(", ")}`,
  );

  // Nothing left in the retired zone.
  const subnetsC = new Set(
    initial.state.subnets.filter((s) => s.zone === RETIRED).map((s) => s.id),
  );
  const left = [
    ...cloud.state.instances
      .filter((i) => i.zone === RETIRED && i.state !== "terminated")
      .map((i) => `instance ${i.tags.Name ?? i.id} (${i.state})`),
    ...cloud.state.volumes
      .filter((v) => v.zone === RETIRED)
      .map((v) => `volume ${v.tags.Name ?? v.id}`),
    ...cloud.state.loadBalancers
      .filter((l) => l.subnetIds.some((s) => subnetsC.has(s) || cloud.subnet(s)?.zone === RETIRED))
      .map((l) => `load balancer ${l.name}`),
    ...cloud.state.subnets.filter((s) => s.zone === RETIRED).map((s) => `subnet ${s.name}`),
  ];
  check(
    left.length === 0,
    `nothing is left in ${RETIRED}`,
    `still in ${RETIRED}: ${left.join(", ")}`,
  );

  // The export volume came along; every deleted volume has a completed snapshot kept, taken before it went.
  const exportCopies = cloud.state.volumes.filter(
    (v) => v.zone !== RETIRED && v.snapshotId && cloud.snapshot(v.snapshotId)?.volumeId === EXPORT,
  );
  check(
    exportCopies.length > 0,
    "reports-export is restored outside the retired zone",
    "reports-export has no copy outside the retired zone",
  );
  const unkept = initial.state.volumes
    .filter((v) => !cloud.volume(v.id))
    .filter((v) => {
      const gone = cloud
        .audit({ action: "DeleteVolume", outcome: "ok" })
        .find((e) => e.params.volume === v.id || e.params.volume === v.tags.Name);
      const goneMs = gone?.timeMs ?? cloud.nowMs;
      return !cloud
        .snapshotsOf(v.id)
        .some(
          (s) =>
            s.state === "completed" &&
            s.startedAtMs >= startMs &&
            s.startedAtMs + SNAPSHOT_MS <= goneMs,
        );
    })
    .map((v) => v.tags.Name ?? v.id);
  const snapshotsGone = initial.state.snapshots
    .filter((s) => !cloud.snapshot(s.id))
    .map((s) => s.id);
  check(
    unkept.length === 0 && snapshotsGone.length === 0,
    "every deleted volume had a completed snapshot of today before it went, and no snapshot was deleted",
    `${unkept.length ? `deleted without a completed snapshot of today: ${unkept.join(", ")}` : ""}${snapshotsGone.length ? ` snapshots deleted: ${snapshotsGone.join(", ")}` : ""}`,
  );

  // Security: the database lets in only the applications that use it; nothing else opened.
  const others = cloud.state.instances.filter(
    (i) =>
      i.id !== DB &&
      i.tags.app !== "reports" &&
      i.state !== "terminated" &&
      dbAdmits(cloud, i.id) &&
      !dbAdmits(initial, i.id),
  );
  const dbGroups = cloud.instance(DB)?.securityGroupIds ?? [];
  const dbRanges = cloud
    .rulesAdmitting(dbGroups, 5432)
    .filter((a) => !a.rule.source.startsWith("sg-"))
    .filter(
      (a) =>
        !initial
          .rulesAdmitting(initial.instance(DB)!.securityGroupIds, 5432)
          .some((b) => b.rule.source === a.rule.source),
    )
    .filter((a) => !/\/32$/.test(a.rule.source));
  check(
    others.length === 0 &&
      dbRanges.length === 0 &&
      dbAdmits(cloud, "i-03b8f2d6a9e4c1758") &&
      cloud.admitsInternet(dbGroups).length === 0,
    "the finance database lets in the ledger and the reports servers, and nothing new besides",
    `the finance database also lets in ${[...others.map((i) => i.tags.Name ?? i.id), ...dbRanges.map((a) => a.rule.source)].join(", ") || "(the ledger lost its access)"}`,
  );
  const reportsGroups = [...new Set(servers.flatMap((i) => i.securityGroupIds))];
  const lbSources = lb ? cloud.loadBalancerSources(lb.name) : { groupIds: [], cidrs: [] };
  const bypass = cloud.admittedOutside(reportsGroups, 8443, lbSources);
  const siteOpen = lb
    ? cloud
        .admitsInternet(lb.securityGroupIds)
        .map((a) => a.rule.source)
        .filter((s) => s !== "203.0.113.0/24" && s !== "198.51.100.64/27")
    : [];
  check(
    bypass.length === 0 &&
      siteOpen.length === 0 &&
      cloud.admitsInternet(reportsGroups).length === 0,
    "the reports servers take 8443 only from their load balancer, and the site only the office and the VPN",
    `also open: ${[...bypass.map((a) => `reports from ${a.rule.source}`), ...siteOpen.map((s) => `the site from ${s}`)].join(", ") || "reports servers from the internet"}`,
  );

  // What else runs is as it was.
  const kept = [
    "i-0a5d1e8c3f7b2a947",
    "i-03b8f2d6a9e4c1758",
    "i-0c9e4b1a7d2f6e369",
    "i-0f1a6c3e8b5d9a472",
  ].filter((id) => {
    const was = initial.instance(id)!;
    const is = cloud.instance(id);
    return !is || is.state !== "running" || !unchanged(was.securityGroupIds, is.securityGroupIds);
  });
  const dbDisk = cloud.volume("vol-0e92b4c6a8f1d3527")?.attachment?.instanceId === DB;
  const names: [string, "A" | "MX"][] = [
    ["ledger.corp.example", "A"],
    ["wiki.corp.example", "A"],
    ["corp.example", "MX"],
  ];
  const moved = names.filter(
    ([n, t]) => !unchanged(initial.resolve(n, t).answers, cloud.resolve(n, t).answers),
  );
  check(
    kept.length === 0 && dbDisk && moved.length === 0,
    "the database, ledger, wiki and bastion run as before, and the other names resolve as before",
    `changed: ${[...kept.map((id) => initial.instance(id)!.tags.Name), ...(dbDisk ? [] : ["findb-data"]), ...moved.map(([n]) => n)].join(", ")}`,
  );

  // No downtime: replay the calls on a copy of the initial state; look right after each call, once it has
  // propagated, and just before the next one.
  const replay = replayGaps(
    initial.state,
    cloud.audit({ outcome: "ok" }),
    cloud.state.nowMs,
    problem,
  );
  const shape = (st: CloudState) => [
    st.loadBalancers.map((l) => [l.name, l.listeners, l.securityGroupIds, l.subnetIds]),
    st.securityGroups,
    st.targetGroups.map((g) => [g.name, g.healthCheck, g.targets.map((t) => t.instanceId)]),
    st.dnsZones.map((z) => z.records.map((r) => [r.name, r.type, r.values])),
    st.instances.map((i) => [i.id, i.state, i.securityGroupIds]),
    st.volumes.map((v) => [v.id, v.attachment?.instanceId ?? null]),
  ];
  const same = replay.failed.length === 0 && unchanged(shape(replay.state), shape(cloud.state));
  check(
    same && replay.gaps.length === 0,
    "finance got the real reports at every step of the move",
    same
      ? `downtime: ${replay.gaps.slice(0, 3).join("; ")}`
      : "the change could not be replayed from the audit log",
  );
});
