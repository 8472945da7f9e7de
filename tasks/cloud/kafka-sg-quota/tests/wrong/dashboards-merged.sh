#!/usr/bin/env bash
# Wrong: move the old dashboards server into the monitoring group and delete monitoring-v1 (after revoking the database's rule for it) and tmp-debug; Grafana is no longer reachable from the office on 3000.
set -euo pipefail
cloud security-groups delete tmp-debug
cloud instances set-security-groups grafana-old --security-groups monitoring
cloud security-groups revoke db --protocol tcp --port 9187 --source monitoring-v1
cloud security-groups delete monitoring-v1
cloud security-groups create --network prod --name kafka-clients
cloud security-groups create --network prod --name kafka-brokers
cloud security-groups create --network prod --name kafka-zookeeper
cloud security-groups allow kafka-brokers --protocol tcp --port 9092 --source kafka-clients
cloud security-groups allow kafka-brokers --protocol tcp --port 9093 --source kafka-brokers
cloud security-groups allow kafka-zookeeper --protocol tcp --port 2181 --source kafka-brokers
