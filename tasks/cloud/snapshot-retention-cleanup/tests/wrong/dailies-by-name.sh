#!/usr/bin/env bash
# Wrong: delete every daily backup older than 30 days by its description; the one under legal hold and wiki-data's last snapshot go too.
set -euo pipefail
cloud snapshots list -o json >/tmp/s.json
cutoff=$(($(date -u +%s) - 30 * 86400))
for id in $(jq -r --argjson cutoff "$cutoff" '.items[] | select(.description | test("^(db-snapshot|nightly) ")) | select((.started | sub("\\.[0-9]+Z$"; "Z") | fromdate) < $cutoff) | .id' /tmp/s.json); do cloud snapshots delete "$id"; done
