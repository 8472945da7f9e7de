#!/usr/bin/env bash
# The profile script replaced PATH (a typo, $PTAH, is empty): append the tools to the PATH instead.
set -euo pipefail
cat > /etc/profile.d/acme-tools.sh <<'SH'
# Acme operations tools: acmectl and friends for every login shell.
export ACME_HOME=/opt/acme
export PATH="$PATH:$ACME_HOME/bin"
SH
su - alice -c 'ls / >/dev/null && acmectl'
