#!/usr/bin/env bash
# sshd reads authorized_keys as carol (root owns her .ssh), and StrictModes refuses a home that
# others can write to: give her .ssh back to her and close the home to group writes.
set -euo pipefail
journalctl -u ssh.service --no-pager | tail -5 || true
chown -R carol:carol /home/carol/.ssh
chmod 700 /home/carol/.ssh
chmod 600 /home/carol/.ssh/authorized_keys
chmod 755 /home/carol
ssh -i /root/.ssh/carol_robot -o BatchMode=yes -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null carol@127.0.0.1 true
