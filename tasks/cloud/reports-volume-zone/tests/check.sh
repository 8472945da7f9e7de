#!/usr/bin/env bash
# Grader: reports-1 has the archive's data (the volume or a restore of its snapshot) on /dev/sdf; the original is kept.
# The runner sets CLOUD_PROFILE to the grader's read-only identity, which exists only while this runs.
set -uo pipefail
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

instances=$(cloud instances list -o json) || instances='{"items":[]}'
volumes=$(cloud volumes list -o json) || volumes='{"items":[]}'
snapshots=$(cloud snapshots list -o json) || snapshots='{"items":[]}'
original=vol-0a8c3e5f71d2b9460

reports=$(jq -r '[.items[] | select(.name == "reports-1" and .state == "running") | .id] | first // ""' <<<"$instances")
if [ -n "$reports" ]; then pass "reports-1 runs ($reports)"; else fail "no running instance named reports-1"; fi

attached=$(jq -c --arg i "$reports" '[.items[] | select(.attachedTo == $i and .device == "/dev/sdf")] | first // {}' <<<"$volumes")
from_archive=$(jq -r --argjson v "$attached" --arg o "$original" '
  if $v.id == $o then "original"
  elif ($v.snapshotId // "") != "" and any(.items[]; .id == $v.snapshotId and .volumeId == $o) then "restored"
  else "" end' <<<"$snapshots")
if [ -n "$from_archive" ]; then
  pass "the archive's data is on reports-1 at /dev/sdf ($from_archive)"
else
  fail "what is on reports-1 at /dev/sdf is not the archive's data: $attached"
fi

if jq -e --arg o "$original" 'any(.items[]; .id == $o and .sizeGiB == 400)' <<<"$volumes" >/dev/null; then
  pass "the original reports-archive volume is kept"
else
  fail "the original reports-archive volume ($original) is gone"
fi

if jq -e '[.items[] | select(.name == "ledger-db" and .state == "running")] | length == 1' <<<"$instances" >/dev/null &&
  jq -e 'any(.items[]; .name == "ledger-db-data" and .attachedTo != "")' <<<"$volumes" >/dev/null; then
  pass "ledger-db and its data volume are untouched"
else
  fail "ledger-db or its data volume changed"
fi
exit $failed
