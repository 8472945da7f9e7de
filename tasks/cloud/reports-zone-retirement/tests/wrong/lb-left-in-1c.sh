#!/usr/bin/env bash
# Wrong: move the server and the volumes but keep reports-lb as it is (its node in public-c) and the subnets; the zone's retirement takes the load balancer's node along.
set -euo pipefail
wait_for() {
  for _ in $(seq 60); do
    eval "$1" && return 0
    sleep 1
  done
  return 1
}
data=$(cloud snapshots create --volume reports-data --description "reports-data before leaving eu-west-1c (CHG-9013)" --query id -o text)
export=$(cloud snapshots create --volume reports-export --description "reports-export before leaving eu-west-1c (CHG-9013)" --query id -o text)
wait_for "[ \$(cloud snapshots list --query \"length(items[?(id=='$data' || id=='$export') && state=='completed'])\" -o text) = 2 ]"
cloud volumes create --zone eu-west-1b --snapshot "$data" --type ssd --name reports-data-b
cloud volumes create --zone eu-west-1b --snapshot "$export" --name reports-export-b
new=$(cloud instances create --name reports-2 --type medium --image reports-4.8 --subnet app-b --security-groups reports --tag app=reports --tag team=finance-it --query id -o text)
wait_for "[ \"\$(cloud instances describe $new --query state -o text)\" = running ] && [ \"\$(cloud volumes describe reports-data-b --query state -o text)\" = available ]"
cloud volumes attach reports-data-b --instance "$new" --device /dev/sdf
cloud security-groups allow findb --protocol tcp --port 5432 --source reports --description "reports servers"
cloud target-groups register reports --instances "$new"
wait_for "[ \"\$(cloud target-groups health reports --query \"length(items[?instanceId=='$new' && state=='healthy'])\" -o text)\" -ge 1 ]"
cloud target-groups deregister reports --instances i-0e2c7a4f9b1d5c836
cloud instances terminate i-0e2c7a4f9b1d5c836
cloud security-groups revoke findb --protocol tcp --port 5432 --source 10.40.12.0/24
wait_for "[ \"\$(cloud instances describe i-0e2c7a4f9b1d5c836 --query state -o text)\" = terminated ]"
cloud volumes delete vol-0c81e5a3f7d2b9460
cloud volumes delete vol-0a37d9f1c5e2b8614
cloud dns resolve reports.corp.example
cloud volumes list
