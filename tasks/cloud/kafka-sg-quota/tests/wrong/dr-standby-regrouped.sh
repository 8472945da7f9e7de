#!/usr/bin/env bash
# Wrong: take legacy-admin off the stopped DR standby (it gets the bastion's group instead) and delete it; started in a disaster, the standby is closed to the office on 8443 and its SSH opens to the whole office.
set -euo pipefail
cloud security-groups delete tmp-debug
cloud instances set-security-groups admin-dr --security-groups bastion
cloud security-groups delete legacy-admin
cloud security-groups create --network prod --name kafka-clients
cloud security-groups create --network prod --name kafka-brokers
cloud security-groups create --network prod --name kafka-zookeeper
cloud security-groups allow kafka-brokers --protocol tcp --port 9092 --source kafka-clients
cloud security-groups allow kafka-brokers --protocol tcp --port 9093 --source kafka-brokers
cloud security-groups allow kafka-zookeeper --protocol tcp --port 2181 --source kafka-brokers
