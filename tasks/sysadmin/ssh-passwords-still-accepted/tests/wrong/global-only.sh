#!/usr/bin/env bash
# Wrong: a first drop-in that turns password and keyboard-interactive authentication off for everyone; the contractors' Match block still overrides it, and they keep their passwords.
set -euo pipefail
printf 'PasswordAuthentication no\nKbdInteractiveAuthentication no\n' >/etc/ssh/sshd_config.d/00-key-only.conf
systemctl restart ssh.service
