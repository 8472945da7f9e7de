// ledger-volume-restore's grader, host-side: ledger-db-1 runs with, at /dev/sdf, an ssd volume restored from
// the last snapshot of its data volume before the migration (02:40 UTC); the damaged volume is kept, detached;
// every snapshot is kept; the swap happened while the server was stopped (replayed from the audit log);
// staging and the application server are untouched.
import { cloudChecks } from "../../../../src/cloud/queries";

/** A stop takes 4 s (INSTANCE_STOP_MS): the server is stopped only from then on. */
const STOP_MS = 4_000;
const MIGRATION = Date.parse("2026-12-04T02:40:00Z");

export default cloudChecks(({ cloud, initial, check }) => {
  const dbId = initial.instanceIdNamed("ledger-db-1");
  const damagedId = initial.volumeIdNamed("ledger-data");
  const damaged = initial.volume(damagedId)!;
  const wanted = initial
    .snapshotsOf(damagedId)
    .filter((s) => s.startedAtMs < MIGRATION)
    .sort((a, b) => b.startedAtMs - a.startedAtMs)[0]!;

  const db = cloud.instance(dbId);
  const data = cloud.volumeAt(dbId, "/dev/sdf");
  const from = data?.snapshotId ? cloud.snapshot(data.snapshotId) : undefined;
  check(
    db?.state === "running" && data !== undefined && data.snapshotId === wanted.id,
    `ledger-db-1 runs with, at /dev/sdf, a volume restored from ${wanted.id} (${new Date(wanted.startedAtMs).toISOString()}, the last one before the migration)`,
    `ledger-db-1 is ${db?.state ?? "gone"}; at /dev/sdf: ${
      data
        ? `${data.id}${data.id === damagedId ? " (the damaged volume)" : ""}, from ${from ? `${from.id} (${from.description}, ${new Date(from.startedAtMs).toISOString()}, of ${cloud.volume(from.volumeId)?.tags.Name ?? from.volumeId})` : "no snapshot"}`
        : "nothing"
    }`,
  );
  check(
    data !== undefined &&
      data.id !== damagedId &&
      data.type === damaged.type &&
      data.sizeGiB >= damaged.sizeGiB,
    `the restored volume is the same kind of disk as before (${damaged.type}, ${damaged.sizeGiB} GiB or more)`,
    data ? `the volume at /dev/sdf is ${data.type}, ${data.sizeGiB} GiB` : "no volume at /dev/sdf",
  );
  const kept = cloud.volume(damagedId);
  check(
    kept !== undefined && kept.attachment === null,
    "the damaged volume ledger-data is kept, detached, for the post-mortem",
    kept
      ? `ledger-data is attached to ${kept.attachment?.instanceId} at ${kept.attachment?.device}`
      : "ledger-data was deleted",
  );
  const lost = initial.state.snapshots.filter((s) => !cloud.snapshot(s.id));
  check(
    lost.length === 0,
    "every snapshot is kept",
    `deleted: ${lost.map((s) => s.id).join(", ")}`,
  );

  // Runbook DB-7, replayed: every detach from and attach to ledger-db-1 happened while it was stopped.
  const ok = cloud.audit({ outcome: "ok" });
  const isDb = (ref: unknown) => ref === dbId || ref === "ledger-db-1";
  const stoppedAt = (t: number) => {
    let stopped = false;
    let since = -Infinity;
    for (const e of ok) {
      if (e.timeMs > t) break;
      if (!isDb(e.params.instance)) continue;
      if (e.action === "StopInstances") {
        stopped = true;
        since = e.timeMs;
      } else if (e.action === "StartInstances" || e.action === "RebootInstances") stopped = false;
    }
    return stopped && since + STOP_MS <= t;
  };
  const swaps = ok.filter(
    (e) =>
      (e.action === "DetachVolume" &&
        (e.params.volume === damagedId || e.params.volume === "ledger-data")) ||
      (e.action === "AttachVolume" && isDb(e.params.instance)),
  );
  const hot = swaps.filter((e) => !stoppedAt(e.timeMs));
  check(
    swaps.length > 0 && hot.length === 0,
    "the data volume was swapped only while ledger-db-1 was stopped (runbook DB-7)",
    swaps.length === 0
      ? "ledger-db-1's data volume was never swapped"
      : `done while ledger-db-1 was not stopped: ${hot.map((e) => `${e.action} ${String(e.params.volume)}`).join(", ")}`,
  );

  const staging = cloud.volumeAt(initial.instanceIdNamed("ledger-db-staging"), "/dev/sdf");
  const app = cloud.instance(initial.instanceIdNamed("ledger-app-1"));
  check(
    staging?.id === initial.volumeIdNamed("ledger-staging-data") && app?.state === "running",
    "staging keeps its own data volume, and ledger-app-1 still runs",
    `staging's /dev/sdf: ${staging?.id ?? "nothing"}; ledger-app-1 ${app?.state ?? "gone"}`,
  );
});
