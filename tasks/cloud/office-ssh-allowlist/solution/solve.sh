#!/usr/bin/env bash
# The fibre line is wan0, not ppp0: the unit skips the job (ConditionPathExists on ppp0) and the job would read
# ppp0's address. Once it runs, it lets the new address in but may not revoke the old one (the access review
# left the account without RevokeSecurityGroupIngress), so it fails and the old address stays open.
set -euo pipefail
systemctl list-timers office-allowlist.timer --no-pager
systemctl status office-allowlist.service --no-pager || true
tail -n 5 /var/log/office-allowlist.log
cat /etc/systemd/system/office-allowlist.service /etc/default/office-allowlist /usr/local/sbin/office-allowlist
ip -br address
sed -i 's/^WAN_IF=.*/WAN_IF=wan0/' /etc/default/office-allowlist
mkdir -p /etc/systemd/system/office-allowlist.service.d
printf '[Unit]\nConditionPathExists=\nConditionPathExists=/sys/class/net/wan0\n' \
  >/etc/systemd/system/office-allowlist.service.d/wan0.conf
systemctl daemon-reload
systemctl start office-allowlist.service || journalctl -u office-allowlist.service --no-pager -n 5
cloud iam get-policy office-allowlist
cloud iam update-policy office-allowlist --document '{"statements": [
  {"effect": "Allow", "actions": ["network:DescribeSecurityGroups"], "resources": ["*"]},
  {"effect": "Allow", "actions": ["network:AuthorizeSecurityGroupIngress", "network:RevokeSecurityGroupIngress"],
   "resources": ["security-group/bastion-ssh", "security-group/sg-0b3a71c9e5d2f4068"]}]}'
systemctl start office-allowlist.service
tail -n 3 /var/log/office-allowlist.log
cloud security-groups describe bastion-ssh
