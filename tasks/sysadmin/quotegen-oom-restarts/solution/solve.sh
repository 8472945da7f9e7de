#!/usr/bin/env bash
# Two faults: quotegen's document cache (2 MB a quote) may grow to 96 MB under a 64 MB memory budget, so
# the kernel kills it once the cache fills and systemd restarts it; and the size in quotegen.conf (256)
# is not the one in force: /etc/default/quotegen's QUOTEGEN_CACHE_MB, left from the Black Friday peak,
# overrides it. Size the cache to fit the budget (python itself takes about 12 MB) in the file that
# wins, and in the configuration file too.
set -euo pipefail
systemctl status quotegen.service --no-pager || true
journalctl -u quotegen.service -n 30 --no-pager | grep -i -e oom -e killed -e cache
systemctl cat quotegen.service
cat /etc/quotegen/quotegen.conf /etc/default/quotegen
systemctl show -p MemoryMax -p MemoryCurrent quotegen.service
sed -i 's/^QUOTEGEN_CACHE_MB=.*/QUOTEGEN_CACHE_MB=32/' /etc/default/quotegen
sed -i 's/^size_mb = .*/size_mb = 32/' /etc/quotegen/quotegen.conf
systemctl restart quotegen.service
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:8077/health >/dev/null && break; sleep 0.2; done
curl -s -o /dev/null -w '%{http_code} ' 'http://127.0.0.1:8077/quote/[1-40]'
systemctl show -p NRestarts -p MemoryCurrent quotegen.service
