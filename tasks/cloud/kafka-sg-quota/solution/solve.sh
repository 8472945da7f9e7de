#!/usr/bin/env bash
# 19 of 20 groups are in use; three must be made. Free of everything: tmp-debug. Carried by nothing but referred
# to by a rule of shop-web (which therefore admits nobody): old-lb-2024. The POC broker may go, and its group
# with it once it is terminated. Not free: legacy-admin (the stopped DR standby carries it), monitoring-v1 (the
# old dashboards server), vpn-lb (the VPN's load balancer).
set -euo pipefail
cloud quotas list
cloud security-groups list
cloud instances list --query "items[].[name, state, join(',', securityGroups), to_string(tags)]" -o text
cloud lb list --query "items[].[name, join(',', securityGroups)]" -o text
cloud security-groups delete tmp-debug
cloud security-groups delete old-lb-2024 || cloud security-groups describe shop-web
cloud security-groups revoke shop-web --protocol tcp --port 80 --source old-lb-2024
cloud security-groups delete old-lb-2024
cloud instances terminate kafka-poc-1
for _ in $(seq 30); do
  [ "$(cloud instances describe i-06f4b6d8a1c3e5abc --query state -o text)" = terminated ] && break
  sleep 1
done
cloud security-groups delete kafka-poc
cloud security-groups create --network prod --name kafka-clients --description "Kafka clients (DATA-120)"
cloud security-groups create --network prod --name kafka-brokers --description "Kafka brokers (DATA-120)"
cloud security-groups create --network prod --name kafka-zookeeper --description "Kafka ZooKeeper (DATA-120)"
cloud security-groups allow kafka-brokers --protocol tcp --port 9092 --source kafka-clients --description "clients"
cloud security-groups allow kafka-brokers --protocol tcp --port 9093 --source kafka-brokers --description "between brokers"
cloud security-groups allow kafka-zookeeper --protocol tcp --port 2181 --source kafka-brokers --description "brokers"
cloud security-groups list
