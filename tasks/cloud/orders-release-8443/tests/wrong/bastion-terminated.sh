#!/usr/bin/env bash
# Wrong: make room under the vCPU quota by terminating the bastion (one vCPU is enough for one more server at a time) instead of the load-test server; the change goes smoothly and ops has lost its way in.
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
BASTION=i-0d4f6b8e1a3c5d749
cloud instances terminate $BASTION
cloud security-groups allow orders-app --protocol tcp --port 8443 --source orders-lb
a=$(launch orders-5a app-a); serve "$a"; retire $ORDERS1
b=$(launch orders-5b app-b); serve "$b"; retire $ORDERS2
cloud security-groups revoke orders-app --protocol tcp --port 8080 --source orders-lb
