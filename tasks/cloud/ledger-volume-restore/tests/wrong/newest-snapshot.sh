#!/usr/bin/env bash
# Wrong: restore the newest snapshot of ledger-data (06:00, hours after the migration ran): the garbage comes back with it.
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
swap "$(restore snap-0f6a8b1c3d5e7f9ab)"
