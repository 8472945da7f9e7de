#!/usr/bin/env bash
# Wrong: add the subnet and the server and stop once it is healthy behind the load balancer (INC-8714 again: its payments time out on the database).
set -euo pipefail
# launch SUBNET: a checkout server like checkout-1 in SUBNET; prints its id.
launch() {
  cloud instances create --name checkout-4 --type medium --image checkout-7.3 --subnet "$1" \
    --security-groups checkout-app --tag app=checkout --query id -o text
}
# serve ID: waits until the server runs, registers it and waits until it is healthy.
serve() {
  until [ "$(cloud instances describe "$1" --query state -o text)" = running ]; do sleep 1; done
  cloud target-groups register checkout --instances "$1"
  until [ "$(cloud target-groups health checkout --query "length(items[?instanceId=='$1' && state=='healthy'])" -o text)" -ge 1 ]
  do sleep 1; done
}
# db_allow ID: lets the server into the database by its own address.
db_allow() {
  cloud security-groups allow shop-db --protocol tcp --port 5432 \
    --source "$(cloud instances describe "$1" --query privateIp -o text)/32"
}
cloud subnets create --network shop --name app-a2 --zone eu-west-1a --cidr 10.70.3.0/24
id=$(launch app-a2)
serve "$id"
