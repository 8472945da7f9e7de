#!/usr/bin/env bash
# Wrong: point the vendor's unit file at the new settings; it runs until the next package update overwrites the file.
set -euo pipefail
sed -i 's|^EnvironmentFile=.*|EnvironmentFile=/etc/quoted/quoted.env|' /usr/lib/systemd/system/quoted.service
sed -i 's|quoted.conf|quoted.env|' /etc/systemd/system/quoted.service.d/override.conf
systemctl daemon-reload
systemctl restart quoted.service
