#!/usr/bin/env bash
# Wrong: fix the rotation, restart shipd, and empty every log under /var/log "to be safe"; the space and the rotation are right, but the audit trail the SIEM and the auditors rely on is gone.
set -euo pipefail
chmod 644 /etc/logrotate.d/shipd
sed -i 's/--signal=HUP/--signal=USR1/' /etc/logrotate.d/shipd
systemctl restart shipd.service
find /var/log -type f -exec truncate -s 0 {} +
