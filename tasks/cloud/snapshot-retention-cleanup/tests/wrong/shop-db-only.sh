#!/usr/bin/env bash
# Wrong: clean up only the database's db-snapshot backups (the ones finance named); the nightly ones of the other volumes stay.
set -euo pipefail
cloud snapshots list -o json >/tmp/s.json
cutoff=$(($(date -u +%s) - 30 * 86400))
for id in $(jq -r --argjson cutoff "$cutoff" '.items[] | select(.description | test("^db-snapshot [0-9-]+$")) | select((.started | sub("\\.[0-9]+Z$"; "Z") | fromdate) < $cutoff) | .id' /tmp/s.json); do cloud snapshots delete "$id"; done
