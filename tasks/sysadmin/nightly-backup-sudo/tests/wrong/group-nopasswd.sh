#!/usr/bin/env bash
# Wrong: let the whole backup group run the tools without a password or a terminal, in a file after the baseline; the backup runs, but nora and every operator now restore the database without typing a password.
set -euo pipefail
printf 'Defaults:%%backup !requiretty\n%%backup ALL=(root) NOPASSWD: /usr/local/sbin/snapshot-db, /usr/local/sbin/restore-db\n' >/etc/sudoers.d/99-backup
chmod 440 /etc/sudoers.d/99-backup
