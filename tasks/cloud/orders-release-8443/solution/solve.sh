#!/usr/bin/env bash
# Release 5 listens on 8443, not on the target group's 8080, which the servers' group admits only; the vCPU
# quota has room for one more server, and only once the orders-dev load-test server (stopped, it still
# counts) is gone. Admit 8443 from the LB, then replace the servers one zone at a time: launch, register on
# 8443, wait until healthy, and only then deregister and terminate a release 4 server. Close 8080 at the end.
set -euo pipefail
cloud lb describe orders-int
cloud target-groups health orders-api
cloud images list
cloud instances describe orders-1
cloud quotas list
cloud instances list
# wait_for DESCRIPTION CODE: until CODE succeeds (2 minutes at most).
wait_for() {
  for _ in $(seq 1 60); do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 2
  done
  echo "timed out waiting for $1" >&2
  return 1
}
healthy() {
  [ "$(cloud target-groups health orders-api --query "length(items[?instanceId=='$1' && state=='healthy'])" -o text)" -ge 1 ]
}
id_of() { cloud instances list --query "items[?name=='$1' && state!='terminated' && state!='shutting-down'].id" -o text; }
# NOTE: steps already made (an agent's half fix, when explaining a run) are skipped, not failures.
loadtest=$(id_of orders-5-loadtest)
[ -z "$loadtest" ] || cloud instances terminate "$loadtest"
cloud security-groups allow orders-app --protocol tcp --port 8443 --source orders-lb --description "API from the load balancer (release 5)" || true
# replace OLD NEW SUBNET: a release 5 server NEW in SUBNET takes over from the release 4 server OLD.
replace() {
  local old new
  old=$(id_of "$1")
  new=$(id_of "$2")
  [ -n "$new" ] || new=$(cloud instances create --name "$2" --type medium --image orders-api-5 --subnet "$3" \
    --security-groups orders-app --role orders-api --tag app=orders --tag release=5 --query id -o text)
  wait_for "$2 running" "[ \"\$(cloud instances describe $new --query state -o text)\" = running ]"
  cloud target-groups register orders-api --instances "$new" --port 8443
  wait_for "$2 healthy" "healthy $new"
  if [ -n "$old" ]; then
    cloud target-groups deregister orders-api --instances "$old" || true
    cloud instances terminate "$old"
  fi
}
replace orders-1 orders-5a app-a
replace orders-2 orders-5b app-b
cloud security-groups revoke orders-app --protocol tcp --port 8080 --source orders-lb || true
cloud target-groups health orders-api
cloud dns resolve orders.prod.internal
