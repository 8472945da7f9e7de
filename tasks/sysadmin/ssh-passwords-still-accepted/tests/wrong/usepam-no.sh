#!/usr/bin/env bash
# Wrong: drop-in removed, the contractors' block fixed, and PAM switched off instead of keyboard-interactive; no password gets in, but sshd now refuses the CI account with its key: ci has no password, and without PAM a locked ("!") password locks the account.
set -euo pipefail
rm /etc/ssh/sshd_config.d/50-cloud-init.conf
sed -i '/^Match Group contractors/,/^$/ s/^\tPasswordAuthentication yes$/\tPasswordAuthentication no/' /etc/ssh/sshd_config
sed -i 's/^UsePAM yes/UsePAM no/' /etc/ssh/sshd_config
systemctl restart ssh.service
