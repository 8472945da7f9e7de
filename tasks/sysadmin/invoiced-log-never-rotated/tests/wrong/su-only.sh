#!/usr/bin/env bash
# Wrong: add the su line logrotate asks for and stop; it rotates again, and the new log it creates is root's, which invoiced cannot write.
set -euo pipefail
sed -i '/^    daily$/a\    su root invoiced' /etc/logrotate.d/invoiced
