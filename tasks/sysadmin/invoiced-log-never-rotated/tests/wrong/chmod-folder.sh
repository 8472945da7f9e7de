#!/usr/bin/env bash
# Wrong: take the group's write permission off the log folder, as logrotate's error suggests; it rotates again, but its create line hands the new log to root, and invoiced (not root) can no longer write it.
set -euo pipefail
chmod 755 /var/log/invoiced
