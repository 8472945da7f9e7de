#!/usr/bin/env bash
# Wrong: a readable rule for `systemctl restart *`; deploy can now restart any service as root, ssh and the guest agent included.
set -euo pipefail
rm /etc/sudoers.d/deploy.conf
echo 'deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart *' > /etc/sudoers.d/deploy
chmod 440 /etc/sudoers.d/deploy
