#!/usr/bin/env bash
# The deleted log is still open in ingestd: restarting it closes the file and frees the space.
set -euo pipefail
df -h /srv/data
lsof +L1 /srv/data || true
systemctl restart ingestd.service
for _ in $(seq 1 100); do [ -s /srv/data/ingest.log ] && break; sleep 0.3; done
