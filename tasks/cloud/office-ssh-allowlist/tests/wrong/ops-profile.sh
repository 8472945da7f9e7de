#!/usr/bin/env bash
# Wrong: the job runs again on wan0, but with the ops key instead of its own account (no policy change
# needed); the bastion's rules are now changed by the all-powerful ops account from the office gateway.
set -euo pipefail
sed -i -e 's/^WAN_IF=.*/WAN_IF=wan0/' -e 's/^CLOUD_PROFILE=.*/CLOUD_PROFILE=default/' /etc/default/office-allowlist
sed -i 's#^ConditionPathExists=.*#ConditionPathExists=/sys/class/net/wan0#' /etc/systemd/system/office-allowlist.service
systemctl daemon-reload
systemctl start office-allowlist.service
