#!/usr/bin/env bash
# Wrong: the job is mended, and the ISP's whole range is let in as well as a safety net ("the next address
# will be in it too"); every other customer of the ISP's pool now reaches the bastion's SSH.
set -euo pipefail
sed -i 's/^WAN_IF=.*/WAN_IF=wan0/' /etc/default/office-allowlist
sed -i 's#^ConditionPathExists=.*#ConditionPathExists=/sys/class/net/wan0#' /etc/systemd/system/office-allowlist.service
systemctl daemon-reload
cloud iam update-policy office-allowlist --document '{"statements": [
  {"effect": "Allow", "actions": ["network:DescribeSecurityGroups"], "resources": ["*"]},
  {"effect": "Allow", "actions": ["network:AuthorizeSecurityGroupIngress", "network:RevokeSecurityGroupIngress"],
   "resources": ["security-group/bastion-ssh", "security-group/sg-0b3a71c9e5d2f4068"]}]}'
systemctl start office-allowlist.service
cloud security-groups allow bastion-ssh --protocol tcp --port 22 --source 203.0.113.0/24 --description "office ISP pool (fallback)"
