#!/usr/bin/env bash
# Wrong: scope by service instead of by call (storage:* and dns:* on the jobs' resources, deploy:* on reports-worker); the key may now delete the database volume, rewrite any zone's records and roll out reports-worker.
set -euo pipefail
sed -i 's/^ZONE=.*/ZONE=shop.example/' /etc/batch/dns-canary.conf
cloud iam create-policy batch-jobs --document '{"statements": [
  {"effect": "Allow", "actions": ["storage:*"], "resources": ["volume/shop-db-data", "snapshot/*"]},
  {"effect": "Allow", "actions": ["dns:*"], "resources": ["dns-zone/*"]},
  {"effect": "Allow", "actions": ["quotas:ListQuotas", "compute:DescribeInstances"], "resources": ["*"]},
  {"effect": "Allow", "actions": ["iam:AssumeRole"], "resources": ["role/reports-scaler"]}]}'
cloud iam create-policy reports-scaling --document '{"statements": [{"effect": "Allow", "actions": ["deploy:*"], "resources": ["deployment/reports-worker"]}]}'
cloud iam attach-policy batch-jobs --user batch
cloud iam detach-policy batch-legacy --user batch
cloud iam attach-policy reports-scaling --role reports-scaler
cloud iam detach-policy batch-legacy --role reports-scaler
