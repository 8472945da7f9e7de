#!/usr/bin/env bash
# Wrong: re-register the HTTPS group's servers on port 80 (HTTPS works again on all three), leaving web-3 out of the HTTP listener's group.
set -euo pipefail
web3=$(cloud instances list --query "items[?name=='web-3'].id" -o text)
ids=$(cloud instances list --query "join(',', items[?starts_with(name, 'web-')].id)" -o text)
cloud target-groups deregister shop-web-tls --instances "$ids"
cloud target-groups register shop-web-tls --instances "$ids" --port 80
