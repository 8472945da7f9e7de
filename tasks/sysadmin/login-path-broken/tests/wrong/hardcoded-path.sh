#!/usr/bin/env bash
# Wrong: set a fixed PATH in the profile script; users work, but root's logins lose /usr/sbin and /sbin.
set -euo pipefail
cat > /etc/profile.d/acme-tools.sh <<'SH'
# Acme operations tools: acmectl and friends for every login shell.
export ACME_HOME=/opt/acme
export PATH="/usr/local/bin:/usr/bin:/bin:$ACME_HOME/bin"
SH
