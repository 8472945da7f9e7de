#!/usr/bin/env bash
# Wrong: the job runs again on wan0, and its account gets network:* on the bastion's group when the revoke is
# denied; it may now delete the group or let anything in with any rule it likes... and so may a leaked key.
set -euo pipefail
sed -i 's/^WAN_IF=.*/WAN_IF=wan0/' /etc/default/office-allowlist
sed -i 's#^ConditionPathExists=.*#ConditionPathExists=/sys/class/net/wan0#' /etc/systemd/system/office-allowlist.service
systemctl daemon-reload
cloud iam update-policy office-allowlist --document '{"statements": [
  {"effect": "Allow", "actions": ["network:DescribeSecurityGroups"], "resources": ["*"]},
  {"effect": "Allow", "actions": ["network:*"], "resources": ["security-group/bastion-ssh", "security-group/sg-0b3a71c9e5d2f4068"]}]}'
systemctl start office-allowlist.service
