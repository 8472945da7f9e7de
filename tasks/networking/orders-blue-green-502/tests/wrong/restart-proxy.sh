#!/usr/bin/env bash
# Wrong: points the pin in gw's /etc/hosts at green and restarts the proxy; customers get green, and the next switch (a DNS change) never reaches the proxy.
set -euo pipefail
sed -i 's/^10\.0\.2\.21 api\.corp\.example$/10.0.2.22 api.corp.example/' /etc/netns/gw/hosts
systemctl restart gw-nginx
