#!/usr/bin/env bash
# Wrong: give the batch user a least-privilege policy and detach batch-legacy from it, but leave batch-legacy ("*" on "*") on the reports-scaler role the batch user can switch to; the key can still do anything.
set -euo pipefail
sed -i 's/^ZONE=.*/ZONE=shop.example/' /etc/batch/dns-canary.conf
cloud iam create-policy batch-jobs --document '{"statements": [
  {"effect": "Allow", "actions": ["storage:CreateSnapshot"], "resources": ["volume/shop-db-data"]},
  {"effect": "Allow", "actions": ["storage:DescribeSnapshots", "storage:DeleteSnapshot"], "resources": ["snapshot/*"]},
  {"effect": "Allow", "actions": ["dns:ChangeResourceRecordSets"], "resources": ["dns-zone/shop.example"]},
  {"effect": "Allow", "actions": ["dns:TestDNSAnswer"], "resources": ["dns-zone/*"]},
  {"effect": "Allow", "actions": ["quotas:ListQuotas"], "resources": ["quota/*"]},
  {"effect": "Allow", "actions": ["compute:DescribeInstances"], "resources": ["instance/*"]},
  {"effect": "Allow", "actions": ["iam:AssumeRole"], "resources": ["role/reports-scaler"]}]}'
cloud iam attach-policy batch-jobs --user batch
cloud iam detach-policy batch-legacy --user batch
