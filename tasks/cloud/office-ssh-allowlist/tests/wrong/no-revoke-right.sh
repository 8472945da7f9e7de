#!/usr/bin/env bash
# Wrong: the job runs again on wan0 and lets the new address in, but its account still may not revoke: the job
# fails at the clean-up and every address the office gives up stays open to the ISP's next customer.
set -euo pipefail
sed -i 's/^WAN_IF=.*/WAN_IF=wan0/' /etc/default/office-allowlist
sed -i 's#^ConditionPathExists=.*#ConditionPathExists=/sys/class/net/wan0#' /etc/systemd/system/office-allowlist.service
systemctl daemon-reload
systemctl start office-allowlist.service || true
cloud security-groups revoke bastion-ssh --protocol tcp --port 22 --source 192.0.2.44/32
