#!/usr/bin/env bash
# app-a is a /29: its three usable addresses are taken (checkout-1, the stopped PCI runner, which keeps its
# allow-listed address, and risk's fraud scorer). Give eu-west-1a a second, private application subnet and
# launch there. The database admits its clients by address (INC-8714), so let the new server in by its own.
set -euo pipefail
cloud instances describe checkout-1
cloud subnets list
cloud instances list
cloud security-groups describe shop-db
cloud target-groups health checkout
# NOTE: steps already made (an agent's half fix, when explaining a run) are skipped, not failures.
[ "$(cloud subnets list --query "length(items[?name=='app-a2'])" -o text)" -ge 1 ] ||
  cloud subnets create --network shop --name app-a2 --zone eu-west-1a --cidr 10.70.3.0/24
id=$(cloud instances list --query "items[?name=='checkout-4' && state!='terminated'].id" -o text)
[ -n "$id" ] || id=$(cloud instances create --name checkout-4 --type medium --image checkout-7.3 --subnet app-a2 \
  --security-groups checkout-app --tag app=checkout --query id -o text)
ip=$(cloud instances describe "$id" --query privateIp -o text)
cloud security-groups allow shop-db --protocol tcp --port 5432 --source "$ip/32" --description "checkout-4"
until [ "$(cloud instances describe "$id" --query state -o text)" = running ]; do sleep 1; done
cloud target-groups register checkout --instances "$id"
until [ "$(cloud target-groups health checkout --query "length(items[?instanceId=='$id' && state=='healthy'])" -o text)" -ge 1 ]
do sleep 1; done
cloud target-groups health checkout
