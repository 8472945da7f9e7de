#!/usr/bin/env bash
# The deleted log is still open in ingestd: restarting it closes the file and frees the space.
set -euo pipefail
lsof +L1 /srv/data || true
systemctl restart ingestd.service
for _ in $(seq 1 30); do [ -s /srv/data/ingest.log ] && break; sleep 1; done
