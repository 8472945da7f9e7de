#!/usr/bin/env bash
# Wrong: restore the right snapshot and swap the volumes at /dev/sdf with the database server running, against runbook DB-7.
set -euo pipefail
# restore SNAPSHOT [TYPE]: a volume from SNAPSHOT in ledger-db-1's zone, once available; prints its id.
restore() {
  local new
  new=$(cloud volumes create --zone eu-west-1b --snapshot "$1" --type "${2:-ssd}" --name ledger-data-restored --query id -o text)
  until [ "$(cloud volumes describe "$new" --query state -o text)" = available ]; do sleep 1; done
  echo "$new"
}
# swap VOLUME: stops ledger-db-1, puts VOLUME at /dev/sdf in place of ledger-data, starts it again.
swap() {
  cloud instances stop ledger-db-1
  until [ "$(cloud instances describe ledger-db-1 --query state -o text)" = stopped ]; do sleep 1; done
  cloud volumes detach ledger-data
  cloud volumes attach "$1" --instance ledger-db-1 --device /dev/sdf
  cloud instances start ledger-db-1
}
new=$(restore snap-0d4e6f8a1b3c5d7e9)
cloud volumes detach ledger-data
cloud volumes attach "$new" --instance ledger-db-1 --device /dev/sdf
