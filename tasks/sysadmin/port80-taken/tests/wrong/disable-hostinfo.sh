#!/usr/bin/env bash
# Wrong: stop and disable the socket that holds port 80; nginx is back, but the monitoring's host information page is gone.
set -euo pipefail
systemctl disable --now hostinfo.socket
systemctl restart nginx
