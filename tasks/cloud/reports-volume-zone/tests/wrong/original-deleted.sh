#!/usr/bin/env bash
# Wrong: copy the archive to reports-1's zone through a snapshot, then delete the original "to save space"; finance asked to keep it until they sign off.
set -euo pipefail
zone=$(cloud instances describe reports-1 --query zone -o text)
snap=$(cloud snapshots create --volume reports-archive --description "move to $zone" --query id -o text)
until [ "$(cloud snapshots list --query "length(items[?id=='$snap' && state=='completed'])" -o text)" -ge 1 ]; do sleep 1; done
vol=$(cloud volumes create --zone "$zone" --snapshot "$snap" --type ssd --query id -o text)
until [ "$(cloud volumes describe "$vol" --query state -o text)" = available ]; do sleep 1; done
cloud volumes attach "$vol" --instance reports-1 --device /dev/sdf
cloud volumes delete reports-archive
