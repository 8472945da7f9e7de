#!/usr/bin/env bash
# The newest snapshot is from 06:00, after the migration; "before LED-88" is a snapshot of the staging
# database's volume. The right one is ledger-data's nightly of 01:00 today. Restore it in ledger-db-1's zone
# (eu-west-1b) as ssd, stop the server, swap the volumes at /dev/sdf, start it again; keep the damaged volume.
set -euo pipefail
cloud instances describe ledger-db-1
cloud volumes list
cloud snapshots list
snap=$(cloud snapshots list -o json | jq -r --arg v "$(cloud volumes describe ledger-data -o json | jq -r .id)" \
  '[.items[] | select(.volumeId == $v and .started < "2026-12-04T02:40:00")] | sort_by(.started) | last | .id')
new=$(cloud volumes create --zone eu-west-1b --snapshot "$snap" --type ssd --name ledger-data-restored \
  --tag incident=INC-9931 --query id -o text)
until [ "$(cloud volumes describe "$new" --query state -o text)" = available ]; do sleep 1; done
cloud instances stop ledger-db-1
until [ "$(cloud instances describe ledger-db-1 --query state -o text)" = stopped ]; do sleep 1; done
cloud volumes detach ledger-data
cloud volumes attach "$new" --instance ledger-db-1 --device /dev/sdf
cloud instances start ledger-db-1
cloud instances describe ledger-db-1
cloud volumes describe ledger-data
