#!/usr/bin/env bash
# Wrong: empty the deleted log through ingestd's open descriptor; the space comes back, but ingestd keeps logging into a file nobody can read.
set -euo pipefail
pid=$(systemctl show -p MainPID --value ingestd.service)
for fd in /proc/"$pid"/fd/*; do
  case "$(readlink "$fd")" in /srv/data/ingest.log*deleted*) : > "$fd" ;; esac
done
