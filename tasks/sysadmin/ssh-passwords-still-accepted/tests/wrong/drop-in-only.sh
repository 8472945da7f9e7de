#!/usr/bin/env bash
# Wrong: remove the image's drop-in that turned password authentication back on, and stop; keyboard-interactive still asks PAM for the password, and the contractors' Match block still allows it.
set -euo pipefail
rm /etc/ssh/sshd_config.d/50-cloud-init.conf
systemctl restart ssh.service
