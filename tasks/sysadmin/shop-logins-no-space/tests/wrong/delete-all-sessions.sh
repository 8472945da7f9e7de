#!/usr/bin/env bash
# Wrong: delete every session on the volume; the inodes come back and logins work, but every customer is logged out, and the clean-up still removes nothing.
set -euo pipefail
find /srv/sessions -type f -name 'sess_*' -delete
