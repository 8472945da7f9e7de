#!/usr/bin/env bash
# The router's firewall comes from files/ (its rules.v4); its /etc/sysctl.conf leaves forwarding off
# (task.toml: the router does not forward), as the maintenance left it.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
