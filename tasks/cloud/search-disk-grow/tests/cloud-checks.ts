// search-disk-grow's grader, host-side: each search node has a 300 GiB ssd at /dev/sdf restored from a snapshot of
// its own disk taken today, and is healthy behind the load balancer; every deleted disk has a completed snapshot
// kept; the rest is as it was; and, replaying the change from the audit log, search answered at every step from
// nodes with their own data.
import { CloudView, cloudChecks, replayGaps, unchanged } from "../../../../src/cloud/queries";

type CloudState = CloudView["state"];
const SITE = "search.corp.example";
/** Each node and its disk as the task began. */
const NODES: [string, string, string][] = [
  ["search-1", "i-0a3c5e7b9d1f4a608", "vol-0a1e4c7f2b5d8a360"],
  ["search-2", "i-0b4d6f8c1e2a5b719", "vol-0b2f5d8a3c6e9b471"],
];
const SNAPSHOT_MS = 5_000;

/** The volume at the node's /dev/sdf holds the node's own data: its disk, or restored from a snapshot of it (taken at or after `sinceMs`). */
function ownData(view: CloudView, instanceId: string, sinceMs = -Infinity): boolean {
  const disk = NODES.find(([, id]) => id === instanceId)?.[2];
  const volume = view.volumeAt(instanceId, "/dev/sdf");
  if (!disk || !volume) return false;
  if (volume.id === disk) return sinceMs === -Infinity;
  const snapshot = volume.snapshotId ? view.snapshot(volume.snapshotId) : undefined;
  return snapshot?.volumeId === disk && snapshot.startedAtMs >= sinceMs;
}

/** What is wrong with search now (null: it answers from healthy nodes, each with its own data). */
function problem(state: CloudState): string | null {
  const view = new CloudView(state);
  const lb = view.resolve(SITE).loadBalancer;
  if (!lb || lb.state !== "active") return `${SITE} resolves to no active load balancer`;
  const group = view.listenerTarget(lb.name, 443);
  if (!group) return `${lb.name} has no listener on 443`;
  const healthy = view.targetHealth(group.name).filter((h) => h.state === "healthy");
  if (healthy.length === 0) return `no healthy search node behind ${lb.name}`;
  for (const h of healthy)
    if (!ownData(view, h.instanceId))
      return `${view.instance(h.instanceId)?.tags.Name ?? h.instanceId} answers without its own data at /dev/sdf`;
  return null;
}

export default cloudChecks(({ cloud, initial, check }) => {
  const startMs = initial.nowMs;
  const disks = NODES.map(([name, id]) => {
    const v = cloud.volumeAt(id, "/dev/sdf");
    const ok =
      v !== undefined && v.type === "ssd" && v.sizeGiB >= 300 && ownData(cloud, id, startMs);
    return {
      name,
      ok,
      text: v
        ? `${v.id} (${v.type}, ${v.sizeGiB} GiB, from ${v.snapshotId ?? "no snapshot"})`
        : "none",
    };
  });
  check(
    disks.every((d) => d.ok),
    "search-1 and search-2 each have a 300 GiB ssd at /dev/sdf with their own data of today",
    disks.map((d) => `${d.name}: ${d.text}`).join("; "),
  );
  const health = cloud.targetHealth("search");
  const serving = NODES.filter(([, id]) =>
    health.some((h) => h.instanceId === id && h.state === "healthy"),
  );
  const now = problem(cloud.state);
  check(
    now === null && serving.length === 2,
    `${SITE} answers from both nodes, healthy behind the load balancer`,
    now ?? `healthy: ${serving.map(([n]) => n).join(", ") || "none"}`,
  );

  const gone = initial.state.volumes.filter((v) => !cloud.volume(v.id));
  const unkept = gone
    .filter((v) => {
      const deleted = cloud
        .audit({ action: "DeleteVolume", outcome: "ok" })
        .find((e) => e.params.volume === v.id || e.params.volume === v.tags.Name);
      const goneMs = deleted?.timeMs ?? cloud.nowMs;
      return !cloud
        .snapshotsOf(v.id)
        .some((s) => s.state === "completed" && s.startedAtMs + SNAPSHOT_MS <= goneMs);
    })
    .map((v) => v.tags.Name ?? v.id);
  const snapshotsGone = initial.state.snapshots
    .filter((s) => !cloud.snapshot(s.id))
    .map((s) => s.id);
  const others = ["vol-0c3a6e9b4d7f1c582", "vol-0d4b7f1c5e8a2d693"].filter(
    (id) => !unchanged(initial.volume(id), cloud.volume(id)),
  );
  check(
    unkept.length === 0 && snapshotsGone.length === 0 && others.length === 0,
    "every deleted disk has a completed snapshot kept, no snapshot was deleted, and the database's disk and the audit logs are untouched",
    [
      unkept.length ? `deleted without a completed snapshot: ${unkept.join(", ")}` : "",
      snapshotsGone.length ? `snapshots deleted: ${snapshotsGone.join(", ")}` : "",
      others.length
        ? `changed: ${others.map((id) => initial.volume(id)!.tags.Name).join(", ")}`
        : "",
    ]
      .filter(Boolean)
      .join("; "),
  );
  const machines = initial.state.instances.filter((i) => {
    const is = cloud.instance(i.id);
    return !is || is.state !== "running" || !unchanged(i.securityGroupIds, is.securityGroupIds);
  });
  check(
    machines.length === 0 &&
      unchanged(initial.state.securityGroups, cloud.state.securityGroups) &&
      unchanged(initial.state.loadBalancers, cloud.state.loadBalancers) &&
      unchanged(
        initial.targetGroup("search")!.healthCheck,
        cloud.targetGroup("search")?.healthCheck,
      ),
    "every server runs as before, and the security groups, the load balancer and its health check are unchanged",
    `changed: ${machines.map((i) => i.tags.Name).join(", ") || "the security groups, the load balancer or its health check"}`,
  );

  // No downtime: replay the calls; look right after each, once it has propagated, and just before the next one.
  const replay = replayGaps(
    initial.state,
    cloud.audit({ outcome: "ok" }),
    cloud.state.nowMs,
    problem,
  );
  const shape = (st: CloudState) => [
    st.targetGroups.map((g) => [g.name, g.healthCheck, g.targets.map((t) => t.instanceId)]),
    st.volumes.map((v) => [v.id, v.attachment?.instanceId ?? null, v.attachment?.device ?? null]),
    st.instances.map((i) => [i.id, i.state]),
    st.dnsZones.map((z) => z.records.map((r) => [r.name, r.type, r.values])),
  ];
  const same = replay.failed.length === 0 && unchanged(shape(replay.state), shape(cloud.state));
  check(
    same && replay.gaps.length === 0,
    "search answered from nodes with their own data at every step of the change",
    same
      ? `downtime: ${replay.gaps.slice(0, 3).join("; ")}`
      : "the change could not be replayed from the audit log",
  );
});
