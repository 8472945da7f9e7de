#!/usr/bin/env bash
# Wrong: attach a new, empty volume in reports-1's zone as /dev/sdf; the attach works, but the archive's data is not on it.
set -euo pipefail
zone=$(cloud instances describe reports-1 --query zone -o text)
vol=$(cloud volumes create --zone "$zone" --size 400 --type ssd --name reports-archive-b --query id -o text)
until [ "$(cloud volumes describe "$vol" --query state -o text)" = available ]; do sleep 1; done
cloud volumes attach "$vol" --instance reports-1 --device /dev/sdf
