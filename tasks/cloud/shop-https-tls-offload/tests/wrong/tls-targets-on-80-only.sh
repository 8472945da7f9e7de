#!/usr/bin/env bash
# Wrong: re-register the HTTPS group's servers on port 80 (HTTPS works again on all three), leaving web-3 out of the HTTP listener's group.
set -euo pipefail
web3=$(cloud instances list -o json | jq -r '.items[] | select(.name == "web-3") | .id')
ids=$(cloud instances list -o json | jq -r '[.items[] | select(.name | test("^web-")) | .id] | join(",")')
cloud target-groups deregister shop-web-tls --instances "$ids"
cloud target-groups register shop-web-tls --instances "$ids" --port 80
