#!/usr/bin/env bash
# Wrong: give the share back to reports and managers, then run the report by hand from its folder; today's report appears, but the timer is still not enabled, and started by systemd the job still fails (no working directory).
set -euo pipefail
chown -R reports:managers /srv/reports/daily
chmod 2750 /srv/reports/daily
chmod 640 /srv/reports/daily/sales-*.txt
cd /opt/reports && runuser -u reports -- bin/sales-report
