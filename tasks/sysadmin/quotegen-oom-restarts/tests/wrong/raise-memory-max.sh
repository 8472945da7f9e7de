#!/usr/bin/env bash
# Wrong: give quotegen more memory (MemoryMax=256M in a later drop-in); it stops being killed, but the platform's budget is gone.
set -euo pipefail
printf '[Service]\nMemoryMax=256M\n' >/etc/systemd/system/quotegen.service.d/90-more-memory.conf
systemctl daemon-reload
systemctl restart quotegen.service
