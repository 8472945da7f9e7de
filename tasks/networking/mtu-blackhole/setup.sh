#!/usr/bin/env bash
# The reports; web's firewall comes from files/ (its rules.v4, loaded at boot: all ICMP dropped), and
# the VPN between r1 and r2 carries 1400-byte packets at most (task.toml's MTUs).
set -euo pipefail
mkdir -p /srv/reports
seq -f '%06g,north,4200.00,3900.00,shipped' 1 12000 > /srv/reports/q3.csv
printf 'quarter,status\nq2,final\n' > /srv/reports/q2-summary.csv
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
