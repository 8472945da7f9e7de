#!/usr/bin/env bash
# Wrong: exempt dbbackup from requiretty and stop there; the job gets past the terminal check, then sudo says "a password is required": the baseline's later %backup rule still wins over dbbackup's NOPASSWD rule.
set -euo pipefail
printf 'Defaults:dbbackup !requiretty\n' >>/etc/sudoers.d/50-dbbackup
