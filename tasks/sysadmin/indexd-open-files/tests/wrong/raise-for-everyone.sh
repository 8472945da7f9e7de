#!/usr/bin/env bash
# Wrong: a later drop-in for indexd (limit and writable state folder) as it should be, but the nightly check fixed by raising the baseline's wildcard limit in limits.d; every account on the server loses the baseline's bound.
set -euo pipefail
printf '[Service]\nLimitNOFILE=8192\nReadWritePaths=/var/lib/indexd\n' >/etc/systemd/system/indexd.service.d/zzz-indexd.conf
sed -i 's/nofile          1024/nofile          65536/' /etc/security/limits.d/90-sec-baseline.conf
systemctl daemon-reload
systemctl reset-failed indexd.service
systemctl restart indexd.service
