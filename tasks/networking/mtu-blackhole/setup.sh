#!/usr/bin/env bash
set -euo pipefail
mkdir -p /srv/reports
seq -f '%06g,north,4200.00,3900.00,shipped' 1 12000 > /srv/reports/q3.csv
printf 'quarter,status\nq2,final\n' > /srv/reports/q2-summary.csv
# Hardening from the last security review: the server ignores ICMP.
ip netns exec web iptables -A INPUT -p icmp -j DROP
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
