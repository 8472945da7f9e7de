#!/usr/bin/env bash
# Wrong: readdresses the printer and re-pins nas on gw with live commands only; everything works now, and after gw and prn reboot the printer takes nas's address again and gw pins the old card.
set -euo pipefail
on prn ip address del 10.0.2.30/24 dev eth0
on prn ip address add 10.0.2.40/24 dev eth0
on prn ip route replace default via 10.0.2.1
on gw ip neighbour replace 10.0.2.30 lladdr 02:4f:09:9c:fa:f3 dev eth1 nud permanent
on backup ip neighbour flush to 10.0.2.30
