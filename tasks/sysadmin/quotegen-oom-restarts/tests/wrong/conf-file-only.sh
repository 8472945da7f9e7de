#!/usr/bin/env bash
# Wrong: shrink the cache in quotegen.conf only; /etc/default/quotegen's QUOTEGEN_CACHE_MB=96 still overrides it, and quotegen is still killed once its cache fills.
set -euo pipefail
sed -i 's/^size_mb = .*/size_mb = 32/' /etc/quotegen/quotegen.conf
systemctl restart quotegen.service
