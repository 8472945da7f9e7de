#!/usr/bin/env bash
# Wrong: make the sync job skip the certificate check (curl -k); it runs again, but api.internal still serves an expired chain to every other client, and the job would now accept any impostor.
set -euo pipefail
sed -i 's/curl -sS/curl -k -sS/' /usr/local/bin/inventory-sync
systemctl start inventory-sync.service
