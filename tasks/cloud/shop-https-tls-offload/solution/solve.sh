#!/usr/bin/env bash
# shop-lb's HTTPS listener still forwards to shop-web-tls, whose targets are on 443 where the 2025.12 image no
# longer listens; and web-3 was registered in shop-web-tls only. Forward 443 to shop-web (HTTP on 80) and add
# web-3 to it; the HTTP listener is never touched.
set -euo pipefail
cloud lb describe shop-lb
cloud target-groups health shop-web-tls
cloud target-groups health shop-web
cloud images list --query "items[].{name: name, listens: listens}" -o json
# NOTE: a change that is made already (an agent's half fix, when explaining a run) is what this script wants.
cloud lb remove-listener shop-lb --port 443 || true
cloud lb add-listener shop-lb --port 443 --protocol http --target-group shop-web
web3=$(cloud instances list --query "items[?name=='web-3'].id" -o text)
cloud target-groups register shop-web --instances "$web3" || true
for _ in $(seq 30); do
  [ "$(cloud target-groups health shop-web | grep -c ' healthy')" = 3 ] && break
  sleep 1
done
cloud target-groups health shop-web
