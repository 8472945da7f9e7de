#!/usr/bin/env bash
# Wrong: make room under the vCPU quota by retiring both release 4 servers first, then bring up release 5; it ends right, but the orders API had no server between the two steps.
set -euo pipefail
wait_for() {
  for _ in $(seq 1 60); do
    if eval "$1" >/dev/null 2>&1; then return 0; fi
    sleep 2
  done
  return 1
}
launch() {
  cloud instances create --name "$1" --type medium --image orders-api-5 --subnet "$2" \
    --security-groups "${3:-orders-app}" --role orders-api --tag app=orders --tag release=5 --query id -o text
}
# serve ID: registers a release 5 server on 8443 and waits until it is healthy.
serve() {
  wait_for "[ \"\$(cloud instances describe $1 --query state -o text)\" = running ]"
  cloud target-groups register orders-api --instances "$1" --port 8443
  wait_for "[ \"\$(cloud target-groups health orders-api --query \"length(items[?instanceId=='$1' && state=='healthy'])\" -o text)\" -ge 1 ]"
}
retire() {
  cloud target-groups deregister orders-api --instances "$1"
  cloud instances terminate "$1"
}
ORDERS1=i-0a1c3e5b7d9f2a416
ORDERS2=i-0b2d4f6c8e1a3b527
LOADTEST=i-0f6b8d1a3c5e7f96b
cloud security-groups allow orders-app --protocol tcp --port 8443 --source orders-lb
retire $ORDERS1
retire $ORDERS2
a=$(launch orders-5a app-a)
b=$(launch orders-5b app-b)
serve "$a"
serve "$b"
cloud security-groups revoke orders-app --protocol tcp --port 8080 --source orders-lb
