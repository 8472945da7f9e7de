#!/usr/bin/env bash
# Wrong: attach a new, empty volume in reports-1's zone as /dev/sdf; the attach works, but the archive's data is not on it.
set -euo pipefail
zone=$(cloud instances describe reports-1 -o json | jq -r .zone)
vol=$(cloud volumes create --zone "$zone" --size 400 --type ssd --name reports-archive-b -o json | jq -r .id)
until cloud volumes describe "$vol" -o json | jq -e '.state == "available"' >/dev/null; do sleep 1; done
cloud volumes attach "$vol" --instance reports-1 --device /dev/sdf
