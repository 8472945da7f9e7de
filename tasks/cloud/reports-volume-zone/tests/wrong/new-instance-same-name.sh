#!/usr/bin/env bash
# Wrong: replace reports-1 with a new instance of the same name in the archive's zone and attach the original there; the rebuilt server (by its id) is gone and never gets the data.
set -euo pipefail
old=$(cloud instances describe reports-1 -o json)
cloud instances terminate reports-1
cloud instances create --name reports-1 --type "$(jq -r .type <<<"$old")" --image "$(jq -r .imageId <<<"$old")" \
  --subnet finance-a --security-groups "$(jq -r '.securityGroups | join(",")' <<<"$old")" --tag app=reports
until cloud instances describe reports-1 -o json | jq -e '.state == "running"' >/dev/null; do sleep 1; done
cloud volumes attach reports-archive --instance reports-1 --device /dev/sdf
