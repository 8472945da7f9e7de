#!/usr/bin/env bash
# The archive is in eu-west-1a and reports-1 in eu-west-1b: copy it across through a snapshot.
set -euo pipefail
zone=$(cloud instances describe reports-1 --query zone -o text)
snap=$(cloud snapshots create --volume reports-archive --description "reports-archive for reports-1" --query id -o text)
until [ "$(cloud snapshots list --query "length(items[?id=='$snap' && state=='completed'])" -o text)" -ge 1 ]; do sleep 1; done
vol=$(cloud volumes create --zone "$zone" --snapshot "$snap" --type ssd --name reports-archive-b --query id -o text)
until [ "$(cloud volumes describe "$vol" --query state -o text)" = available ]; do sleep 1; done
cloud volumes attach "$vol" --instance reports-1 --device /dev/sdf
