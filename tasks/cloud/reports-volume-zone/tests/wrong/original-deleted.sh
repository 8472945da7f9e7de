#!/usr/bin/env bash
# Wrong: copy the archive to reports-1's zone through a snapshot, then delete the original "to save space"; finance asked to keep it until they sign off.
set -euo pipefail
zone=$(cloud instances describe reports-1 -o json | jq -r .zone)
snap=$(cloud snapshots create --volume reports-archive --description "move to $zone" -o json | jq -r .id)
until cloud snapshots list -o json | jq -e --arg s "$snap" '.items[] | select(.id == $s and .state == "completed")' >/dev/null; do sleep 1; done
vol=$(cloud volumes create --zone "$zone" --snapshot "$snap" --type ssd -o json | jq -r .id)
until cloud volumes describe "$vol" -o json | jq -e '.state == "available"' >/dev/null; do sleep 1; done
cloud volumes attach "$vol" --instance reports-1 --device /dev/sdf
cloud volumes delete reports-archive
