#!/usr/bin/env bash
# Grader: the volume has room again, every upload is intact, ingestd runs and logs to its file.
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
free_mb() { df --output=avail -B1M /srv/data | tail -1 | tr -d ' '; }
check "/srv/data has at least 8 MB free" '[ "$(free_mb)" -ge 8 ]'
check "a 4 MB upload fits" 'dd if=/dev/zero of=/srv/data/uploads/.probe bs=1M count=4 status=none && rm -f /srv/data/uploads/.probe'
for name in contract-2041 invoice-7731 scan-0098; do
  check "upload $name.pdf is intact" '[ "$(cat /srv/data/uploads/'"$name"'.pdf 2>/dev/null)" = "customer document '"$name"'" ]'
done
check "ingestd is running" 'systemctl is-active --quiet ingestd.service'
check "ingestd logs to /srv/data/ingest.log" 'for _ in $(seq 1 10); do [ -s /srv/data/ingest.log ] && break; sleep 1; done; [ -s /srv/data/ingest.log ]'
exit $failed
