#!/usr/bin/env bash
# Wrong: the settings written into the drop-in itself; quoted runs, but ignores /etc/quoted/quoted.env, so the next change there has no effect.
set -euo pipefail
cat > /etc/systemd/system/quoted.service.d/override.conf <<'UNIT'
[Service]
EnvironmentFile=
Environment=QUOTED_PORT=8095 "QUOTED_GREETING=Ship small changes, often."
UNIT
systemctl daemon-reload
systemctl restart quoted.service
