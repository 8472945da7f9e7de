#!/usr/bin/env bash
# batch-legacy ("*" on "*") is attached to the batch user and to the reports-scaler role the report
# scaler switches to; the canary writes into ops.shop.example, a zone merged into shop.example.
# Give each principal a policy of exactly what its jobs call (the user also needs iam:AssumeRole on the
# role), point the canary at shop.example, and run every job as cron would.
set -euo pipefail
cat /etc/cron.d/batch-jobs
cat /usr/local/bin/db-snapshot /usr/local/bin/reports-scale /usr/local/bin/dns-canary /usr/local/bin/quota-report
cat /root/.cloud/config
cloud iam users
cloud iam roles
cloud iam get-policy batch-legacy
tail -n 3 /var/log/batch/dns-canary.log
cloud dns zones
cloud dns records shop.example
sed -i 's/^ZONE=.*/ZONE=shop.example/' /etc/batch/dns-canary.conf
# NOTE: a policy, attachment or detachment that is there already (an agent's half fix, when explaining
# a run) is what this script wants, not a failure.
cloud iam create-policy batch-jobs --description "what the ops box's batch jobs call (SEC-3117)" --document '{"statements": [
  {"effect": "Allow", "actions": ["storage:CreateSnapshot"], "resources": ["volume/shop-db-data"]},
  {"effect": "Allow", "actions": ["storage:DescribeSnapshots", "storage:DeleteSnapshot"], "resources": ["snapshot/*"]},
  {"effect": "Allow", "actions": ["dns:ChangeResourceRecordSets"], "resources": ["dns-zone/shop.example"]},
  {"effect": "Allow", "actions": ["dns:TestDNSAnswer"], "resources": ["dns-zone/*"]},
  {"effect": "Allow", "actions": ["quotas:ListQuotas"], "resources": ["quota/*"]},
  {"effect": "Allow", "actions": ["compute:DescribeInstances"], "resources": ["instance/*"]},
  {"effect": "Allow", "actions": ["iam:AssumeRole"], "resources": ["role/reports-scaler"]}]}' || true
cloud iam create-policy reports-scaling --description "scale the report workers (SEC-3117)" --document '{"statements": [
  {"effect": "Allow", "actions": ["deploy:DescribeDeployment", "deploy:ScaleDeployment"], "resources": ["deployment/reports-worker"]}]}' || true
cloud iam attach-policy batch-jobs --user batch || true
cloud iam detach-policy batch-legacy --user batch || true
cloud iam attach-policy reports-scaling --role reports-scaler || true
cloud iam detach-policy batch-legacy --role reports-scaler || true
cloud iam simulate --user batch --action storage:CreateSnapshot,storage:DeleteVolume --resource volume/shop-db-data
export CLOUD_PROFILE=batch PATH=/usr/local/bin:/usr/bin:/bin
db-snapshot
reports-scale night
reports-scale day
dns-canary
quota-report
