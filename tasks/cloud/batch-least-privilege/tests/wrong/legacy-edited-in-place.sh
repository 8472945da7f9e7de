#!/usr/bin/env bash
# Wrong: rewrite batch-legacy in place to what the batch user's own jobs call; the reports-scaler role shares that policy, so the report scaler loses ScaleDeployment and breaks tonight.
set -euo pipefail
sed -i 's/^ZONE=.*/ZONE=shop.example/' /etc/batch/dns-canary.conf
cloud iam update-policy batch-legacy --document '{"statements": [
  {"effect": "Allow", "actions": ["storage:CreateSnapshot"], "resources": ["volume/shop-db-data"]},
  {"effect": "Allow", "actions": ["storage:DescribeSnapshots", "storage:DeleteSnapshot"], "resources": ["snapshot/*"]},
  {"effect": "Allow", "actions": ["dns:ChangeResourceRecordSets"], "resources": ["dns-zone/shop.example"]},
  {"effect": "Allow", "actions": ["dns:TestDNSAnswer"], "resources": ["dns-zone/*"]},
  {"effect": "Allow", "actions": ["quotas:ListQuotas"], "resources": ["quota/*"]},
  {"effect": "Allow", "actions": ["compute:DescribeInstances"], "resources": ["instance/*"]},
  {"effect": "Allow", "actions": ["iam:AssumeRole"], "resources": ["role/reports-scaler"]}]}'
