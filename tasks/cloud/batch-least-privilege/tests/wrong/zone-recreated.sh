#!/usr/bin/env bash
# Wrong: leave the canary's configuration alone and create the zone it names (ops.shop.example) again, with least-privilege policies for it; the canary passes, but the new empty zone now answers for bastion and status.ops.shop.example, which stop resolving.
set -euo pipefail
cloud dns create-zone ops.shop.example
doc=$(sed 's#dns-zone/shop.example#dns-zone/ops.shop.example#' <<<'{"statements": [
  {"effect": "Allow", "actions": ["storage:CreateSnapshot"], "resources": ["volume/shop-db-data"]},
  {"effect": "Allow", "actions": ["storage:DescribeSnapshots", "storage:DeleteSnapshot"], "resources": ["snapshot/*"]},
  {"effect": "Allow", "actions": ["dns:ChangeResourceRecordSets"], "resources": ["dns-zone/shop.example"]},
  {"effect": "Allow", "actions": ["dns:TestDNSAnswer"], "resources": ["dns-zone/*"]},
  {"effect": "Allow", "actions": ["quotas:ListQuotas"], "resources": ["quota/*"]},
  {"effect": "Allow", "actions": ["compute:DescribeInstances"], "resources": ["instance/*"]},
  {"effect": "Allow", "actions": ["iam:AssumeRole"], "resources": ["role/reports-scaler"]}]}')
cloud iam create-policy batch-jobs --document "$doc"
cloud iam attach-policy batch-jobs --user batch
cloud iam detach-policy batch-legacy --user batch
cloud iam create-policy reports-scaling --document '{"statements": [{"effect": "Allow", "actions": ["deploy:DescribeDeployment", "deploy:ScaleDeployment"], "resources": ["deployment/reports-worker"]}]}'
cloud iam attach-policy reports-scaling --role reports-scaler
cloud iam detach-policy batch-legacy --role reports-scaler
