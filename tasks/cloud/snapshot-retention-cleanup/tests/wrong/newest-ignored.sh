#!/usr/bin/env bash
# Wrong: daily backups past 30 days, minus the legal hold; wiki-data (its backups stopped in October) loses its only recent-enough snapshot, its newest.
set -euo pipefail
cloud snapshots list -o json >/tmp/s.json
cutoff=$(($(date -u +%s) - 30 * 86400))
for id in $(jq -r --argjson cutoff "$cutoff" '.items[] | select(.description | test("^(db-snapshot|nightly) ")) | select(.description | test("LEGAL HOLD") | not) | select((.started | sub("\\.[0-9]+Z$"; "Z") | fromdate) < $cutoff) | .id' /tmp/s.json); do cloud snapshots delete "$id"; done
