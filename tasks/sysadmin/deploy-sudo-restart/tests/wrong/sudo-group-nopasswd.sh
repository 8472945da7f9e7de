#!/usr/bin/env bash
# Wrong: deploy joins the sudo group and the group needs no password; deploy is now root for anything.
set -euo pipefail
usermod -aG sudo deploy
echo '%sudo ALL=(ALL:ALL) NOPASSWD: ALL' > /etc/sudoers.d/sudo-nopasswd
chmod 440 /etc/sudoers.d/sudo-nopasswd
