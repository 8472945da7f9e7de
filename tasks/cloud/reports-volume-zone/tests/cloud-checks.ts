// reports-volume-zone's grader, host-side: the original reports-1 (by id) has the archive's data on /dev/sdf, and
// the original archive volume is kept.
import { cloudChecks } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const reportsId = initial.instanceIdNamed("reports-1");
  const archiveId = initial.volumeIdNamed("reports-archive");
  const ledgerId = initial.instanceIdNamed("ledger-db");
  const ledgerDataId = initial.volumeIdNamed("ledger-db-data");

  const reports = cloud.instance(reportsId);
  check(
    reports?.state === "running",
    `reports-1 (${reportsId}, the rebuilt server) runs`,
    `reports-1 (${reportsId}) is ${reports?.state ?? "gone"}`,
  );
  const others = cloud.instancesNamed("reports-1").filter((i) => i.id !== reportsId);
  check(
    others.length === 0,
    "no other instance poses as reports-1",
    `another instance is named reports-1: ${others.map((i) => `${i.id} in ${i.zone}`).join(", ")}`,
  );

  const attached = cloud.volumeAt(reportsId, "/dev/sdf");
  const restoredFrom = attached?.snapshotId ? cloud.snapshot(attached.snapshotId) : undefined;
  const archiveData = attached?.id === archiveId || restoredFrom?.volumeId === archiveId;
  check(
    archiveData && attached?.state === "in-use",
    `the archive's data is on reports-1 at /dev/sdf (${attached?.id === archiveId ? "the original volume" : `restored from ${attached?.snapshotId}`})`,
    attached
      ? `what is on reports-1 at /dev/sdf (${attached.id}) is not the archive's data`
      : "nothing is attached to reports-1 at /dev/sdf",
  );

  const archive = cloud.volume(archiveId);
  check(
    archive !== undefined && archive.sizeGiB === initial.volume(archiveId)!.sizeGiB,
    `the original reports-archive volume (${archiveId}) is kept`,
    `the original reports-archive volume (${archiveId}) is gone`,
  );

  const ledger = cloud.instance(ledgerId);
  check(
    ledger?.state === "running" && cloud.volume(ledgerDataId)?.attachment?.instanceId === ledgerId,
    "ledger-db runs with its data volume attached",
    "ledger-db or its data volume changed",
  );
});
