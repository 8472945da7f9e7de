#!/usr/bin/env bash
# Wrong: give release 5 a fresh security group (8443 from the load balancer, SSH from ops) instead of the API servers' group; they turn healthy, but the database admits only the old group, so every order fails.
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
cloud instances terminate $LOADTEST
cloud security-groups create --network prod --name orders-app-v5 --description "orders API release 5"
cloud security-groups allow orders-app-v5 --protocol tcp --port 8443 --source orders-lb
cloud security-groups allow orders-app-v5 --protocol tcp --port 22 --source 10.20.50.0/24
a=$(launch orders-5a app-a orders-app-v5); serve "$a"; retire $ORDERS1
b=$(launch orders-5b app-b orders-app-v5); serve "$b"; retire $ORDERS2
