#!/usr/bin/env bash
# Wrong: give carol her .ssh, then turn StrictModes off in a drop-in of sshd_config instead of closing her home; she gets in, and so could anyone in the group that can write her home.
set -euo pipefail
chown -R carol:carol /home/carol/.ssh
echo 'StrictModes no' > /etc/ssh/sshd_config.d/migration.conf
systemctl restart ssh.service
