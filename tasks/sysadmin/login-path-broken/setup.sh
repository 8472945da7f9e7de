#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/acme /opt/acme/bin /opt/acme/bin/acmectl
for user in alice bob; do useradd --create-home --shell /bin/bash "$user"; done
cat > /etc/profile.d/acme-tools.sh <<'SH'
# Acme operations tools: acmectl and friends for every login shell.
export ACME_HOME=/opt/acme
export PATH="$ACME_HOME/bin:$PTAH"
SH
