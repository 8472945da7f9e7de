#!/usr/bin/env bash
# Wrong: drop-in removed, keyboard-interactive off, and the contractors' whole Match block deleted instead of its password line; no password gets in, but the contractors may now forward ports and X11 through the server, which the block forbade.
set -euo pipefail
rm /etc/ssh/sshd_config.d/50-cloud-init.conf
sed -i 's/^KbdInteractiveAuthentication yes/KbdInteractiveAuthentication no/' /etc/ssh/sshd_config
sed -i '/^# Acme Consulting/,$d' /etc/ssh/sshd_config
systemctl restart ssh.service
