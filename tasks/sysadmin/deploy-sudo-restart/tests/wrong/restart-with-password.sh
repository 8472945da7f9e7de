#!/usr/bin/env bash
# Wrong: besides the restart rule, deploy may run anything as root with its password (the usual admin rule); the pipeline needs no more, but deploy's password is now as good as root's.
set -euo pipefail
mv /etc/sudoers.d/deploy.conf /etc/sudoers.d/deploy
sed -i '1i deploy ALL=(ALL:ALL) ALL' /etc/sudoers.d/deploy
