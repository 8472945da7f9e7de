#!/usr/bin/env bash
# Wrong: delete every snapshot older than 30 days; month-end, final and legal-hold snapshots go with the daily backups.
set -euo pipefail
cloud snapshots list -o json >/tmp/s.json
cutoff=$(($(date -u +%s) - 30 * 86400))
for id in $(jq -r --argjson cutoff "$cutoff" '.items[] | select((.started | sub("\\.[0-9]+Z$"; "Z") | fromdate) < $cutoff) | .id' /tmp/s.json); do cloud snapshots delete "$id"; done
