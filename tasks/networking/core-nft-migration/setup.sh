#!/usr/bin/env bash
# CHG-4611 as it was left (files/): core boots its new nftables.conf, where the SSH drop comes before
# the admins' accept, and then its old rules.v4 as well (iptables' own table, which drops 8443); app's
# nginx serves the order API on 127.0.0.1 only.
set -euo pipefail
