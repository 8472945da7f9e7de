#!/usr/bin/env bash
# Wrong: run the service as root in the application's folder so it can write to the root-owned share, and enable the timer; the report runs, but as root, and neither the old reports nor the new one are readable by the managers.
set -euo pipefail
mkdir -p /etc/systemd/system/sales-report.service.d
printf '[Service]\nUser=root\nGroup=root\nWorkingDirectory=/opt/reports\n' >/etc/systemd/system/sales-report.service.d/override.conf
systemctl daemon-reload
systemctl enable --now sales-report.timer
systemctl start sales-report.service
