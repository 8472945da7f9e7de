#!/usr/bin/env bash
# Wrong: a last rule that lets dbbackup run anything as root without a password or a terminal; the backup runs, and dbbackup is root.
set -euo pipefail
printf 'Defaults:dbbackup !requiretty\ndbbackup ALL=(ALL:ALL) NOPASSWD: ALL\n' >/etc/sudoers.d/99-dbbackup
chmod 440 /etc/sudoers.d/99-dbbackup
