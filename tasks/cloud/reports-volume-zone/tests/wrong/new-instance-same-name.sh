#!/usr/bin/env bash
# Wrong: replace reports-1 with a new instance of the same name in the archive's zone and attach the original there; the rebuilt server (by its id) is gone and never gets the data.
set -euo pipefail
old=$(cloud instances describe reports-1 --query "[type, imageId, join(',', securityGroups)]" -o text)
IFS=$'\t' read -r type image groups <<<"$old"
cloud instances terminate reports-1
cloud instances create --name reports-1 --type "$type" --image "$image" \
  --subnet finance-a --security-groups "$groups" --tag app=reports
until [ "$(cloud instances describe reports-1 --query state -o text)" = running ]; do sleep 1; done
cloud volumes attach reports-archive --instance reports-1 --device /dev/sdf
