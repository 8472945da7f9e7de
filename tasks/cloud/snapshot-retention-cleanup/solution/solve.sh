#!/usr/bin/env bash
# Daily backups older than 30 days go, except one under legal hold (noted in its description) and each volume's
# newest snapshot (wiki-data's backups stopped on 19 October: its last one stays); month-end and final stay.
set -euo pipefail
cloud volumes list
cloud snapshots list
cloud snapshots list -o json >/tmp/snapshots.json
cutoff=$(($(date -u +%s) - 30 * 86400))
expired=$(jq -r --argjson cutoff "$cutoff" '
  .items
  | (group_by(.volumeId) | map(max_by(.started).id)) as $newest
  | .[]
  | select(.description | test("^(db-snapshot|nightly) "))
  | select(.description | test("legal hold"; "i") | not)
  | select((.started | sub("\\.[0-9]+Z$"; "Z") | fromdate) < $cutoff)
  | select(.id as $id | $newest | index($id) | not)
  | .id' /tmp/snapshots.json)
for id in $expired; do cloud snapshots delete "$id"; done
cloud snapshots list
rm -f /tmp/snapshots.json
