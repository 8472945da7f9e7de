#!/usr/bin/env bash
# Wrong: undo the whole "leavers" run's expiry, for mallory too, and unlock alice; mallory's ended contract no longer shows on her account.
set -euo pipefail
for user in alice mallory; do chage --expiredate -1 "$user"; done
usermod --unlock alice
