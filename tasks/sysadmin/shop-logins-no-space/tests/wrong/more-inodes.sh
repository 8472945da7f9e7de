#!/usr/bin/env bash
# Wrong: remount the volume with many times the inodes; logins work, the volume is no longer as it was, and the stale sessions keep piling up.
set -euo pipefail
mount -o remount,nr_inodes=200000 /srv/sessions
