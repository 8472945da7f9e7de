#!/usr/bin/env bash
# Wrong: terminate the stopped admin-dr ("stopped for months, nobody uses it") and delete its group legacy-admin with tmp-debug; it was the admin console's DR standby.
set -euo pipefail
cloud security-groups delete tmp-debug
cloud instances terminate admin-dr
for _ in $(seq 30); do
  cloud security-groups delete legacy-admin 2>/dev/null && break
  sleep 1
done
cloud security-groups delete kafka-poc || true
cloud security-groups create --network prod --name kafka-clients
cloud security-groups create --network prod --name kafka-brokers
cloud security-groups create --network prod --name kafka-zookeeper
cloud security-groups allow kafka-brokers --protocol tcp --port 9092 --source kafka-clients
cloud security-groups allow kafka-brokers --protocol tcp --port 9093 --source kafka-brokers
cloud security-groups allow kafka-zookeeper --protocol tcp --port 2181 --source kafka-brokers
