#!/usr/bin/env bash
# The rebuild lost the service account: recreate it and give it its state folder.
set -euo pipefail
useradd --system --home-dir /var/lib/reportd --shell /usr/sbin/nologin reportd
chown reportd:reportd /var/lib/reportd
systemctl reset-failed reportd.service || true
systemctl restart reportd.service
for _ in $(seq 1 30); do curl -sf http://127.0.0.1:9090/ >/dev/null && break; sleep 1; done
