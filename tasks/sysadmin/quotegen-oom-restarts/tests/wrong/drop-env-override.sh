#!/usr/bin/env bash
# Wrong: remove the Black Friday override (/etc/default/quotegen) so that quotegen.conf counts again; its size_mb = 256 is further still over the 64 MB budget, and quotegen is still killed once its cache fills.
set -euo pipefail
rm /etc/default/quotegen
systemctl restart quotegen.service
