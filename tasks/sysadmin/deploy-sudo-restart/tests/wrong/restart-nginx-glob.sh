#!/usr/bin/env bash
# Wrong: a rule for `systemctl restart nginx*` (to allow nginx.service too); sudo's * also matches spaces, so `restart nginx ssh` passes.
set -euo pipefail
mv /etc/sudoers.d/deploy.conf /etc/sudoers.d/deploy
sed -i 's|restart nginx$|restart nginx*|' /etc/sudoers.d/deploy
