#!/usr/bin/env bash
set -euo pipefail
useradd --create-home --shell /bin/bash deploy
echo 'deploy:Zq8wd2fT9x' | chpasswd
cat > /etc/sudoers.d/deploy.conf <<'RULE'
# Deploy pipeline: restart the web server after a release (platform team)
deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart nginx
RULE
chmod 440 /etc/sudoers.d/deploy.conf
