#!/usr/bin/env bash
# The router does not forward packets any more: turn forwarding back on (the guest rule stays).
set -euo pipefail
on router sysctl -w net.ipv4.ip_forward=1
on client curl -s --max-time 5 http://10.0.2.10/ >/dev/null
