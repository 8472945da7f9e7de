#!/usr/bin/env bash
# CHG-4410 half done: api's nginx already serves the API on 9000 and metrics on 8080 (files/), but
# gw still forwards the public 8080 to api:8080 and lets only that through (its rules.v4), api's
# firewall still opens 8080 to everyone and not 9000 (its nftables.conf), and the order sync still
# calls :8080 (/etc/default/orders-sync).
set -euo pipefail
