#!/usr/bin/env bash
# Wrong: turn the cache off (QUOTEGEN_CACHE_MB=0); quotegen stays up, but every quote is rendered again.
set -euo pipefail
sed -i 's/^QUOTEGEN_CACHE_MB=.*/QUOTEGEN_CACHE_MB=0/' /etc/default/quotegen
systemctl restart quotegen.service
