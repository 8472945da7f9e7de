#!/usr/bin/env bash
# Wrong: the unit's condition is lifted by a drop-in under /run (and the right policy given), so the job
# works today; after the next reboot the drop-in is gone and the job is skipped again.
set -euo pipefail
sed -i 's/^WAN_IF=.*/WAN_IF=wan0/' /etc/default/office-allowlist
mkdir -p /run/systemd/system/office-allowlist.service.d
printf '[Unit]\nConditionPathExists=\n' >/run/systemd/system/office-allowlist.service.d/wan0.conf
systemctl daemon-reload
cloud iam update-policy office-allowlist --document '{"statements": [
  {"effect": "Allow", "actions": ["network:DescribeSecurityGroups"], "resources": ["*"]},
  {"effect": "Allow", "actions": ["network:AuthorizeSecurityGroupIngress", "network:RevokeSecurityGroupIngress"],
   "resources": ["security-group/bastion-ssh", "security-group/sg-0b3a71c9e5d2f4068"]}]}'
systemctl start office-allowlist.service
