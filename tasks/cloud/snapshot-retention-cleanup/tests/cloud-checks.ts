// snapshot-retention-cleanup's grader, host-side: exactly the expired snapshots are gone (daily backups older than 30
// days that are neither under legal hold nor their volume's newest), every other snapshot and every volume kept.
import { cloudChecks, unchanged } from "../../../../src/cloud/queries";

const DAY_MS = 86_400_000;

export default cloudChecks(({ cloud, initial, check }) => {
  const snaps = initial.state.snapshots;
  const newest = new Set(
    [...new Set(snaps.map((s) => s.volumeId))].map(
      (v) =>
        snaps.filter((s) => s.volumeId === v).sort((a, b) => b.startedAtMs - a.startedAtMs)[0]!.id,
    ),
  );
  const expired = snaps.filter(
    (s) =>
      /^(db-snapshot|nightly) /.test(s.description) &&
      !/legal hold/i.test(s.description) &&
      s.startedAtMs < initial.nowMs - 30 * DAY_MS &&
      !newest.has(s.id),
  );
  const kept = snaps.filter((s) => !expired.includes(s));
  const label = (s: (typeof snaps)[number]) => `${s.id} (${s.description})`;

  const left = expired.filter((s) => cloud.snapshot(s.id) !== undefined);
  check(
    left.length === 0,
    `the ${expired.length} expired daily backups are deleted`,
    `still there, though expired: ${left.map(label).join(", ")}`,
  );
  const lost = kept.filter((s) => !unchanged(s, cloud.snapshot(s.id)));
  const hold = lost.filter((s) => /legal hold/i.test(s.description));
  const last = lost.filter((s) => newest.has(s.id));
  check(
    lost.length === 0,
    "every snapshot the standard keeps is still there: month-end, final, legal hold, recent, and each volume's newest",
    `deleted or changed, though kept by the standard: ${[
      ...hold.map((s) => `${label(s)}: under legal hold`),
      ...last.map((s) => `${label(s)}: its volume's newest`),
      ...lost.filter((s) => !hold.includes(s) && !last.includes(s)).map(label),
    ].join(", ")}`,
  );
  const volumes = initial.state.volumes.filter((v) => !unchanged(v, cloud.volume(v.id)));
  check(
    volumes.length === 0,
    "every volume is as it was",
    `changed or deleted: ${volumes.map((v) => `${v.tags.Name ?? v.id}`).join(", ")}`,
  );
});
