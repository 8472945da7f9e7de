#!/usr/bin/env bash
# The archive is in eu-west-1a and reports-1 in eu-west-1b: copy it across through a snapshot.
set -euo pipefail
zone=$(cloud instances describe reports-1 -o json | jq -r .zone)
snap=$(cloud snapshots create --volume reports-archive --description "reports-archive for reports-1" -o json | jq -r .id)
until cloud snapshots list -o json | jq -e --arg s "$snap" '.items[] | select(.id == $s and .state == "completed")' >/dev/null; do sleep 1; done
vol=$(cloud volumes create --zone "$zone" --snapshot "$snap" --type ssd --name reports-archive-b -o json | jq -r .id)
until cloud volumes describe "$vol" -o json | jq -e '.state == "available"' >/dev/null; do sleep 1; done
cloud volumes attach "$vol" --instance reports-1 --device /dev/sdf
