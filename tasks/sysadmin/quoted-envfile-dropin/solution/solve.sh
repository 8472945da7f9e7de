#!/usr/bin/env bash
# The drop-in names a file that does not exist, and EnvironmentFile= adds to the vendor's list
# (which still wants the removed /etc/default/quoted): reset the list, then name the real file.
set -euo pipefail
systemctl cat quoted.service
cat > /etc/systemd/system/quoted.service.d/override.conf <<'UNIT'
[Service]
EnvironmentFile=
EnvironmentFile=/etc/quoted/quoted.env
UNIT
systemctl daemon-reload
systemctl restart quoted.service
for _ in $(seq 1 20); do curl -sf http://127.0.0.1:8095/ && break; sleep 1; done
