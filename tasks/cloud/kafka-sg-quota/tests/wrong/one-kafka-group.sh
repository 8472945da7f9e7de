#!/usr/bin/env bash
# Wrong: free only tmp-debug and squeeze the design into one group, kafka, letting in all three ports from itself; clients could now reach ZooKeeper, and the design is not what was asked.
set -euo pipefail
cloud security-groups delete tmp-debug
cloud security-groups create --network prod --name kafka
cloud security-groups allow kafka --protocol tcp --port 9092 --source kafka
cloud security-groups allow kafka --protocol tcp --port 9093 --source kafka
cloud security-groups allow kafka --protocol tcp --port 2181 --source kafka
