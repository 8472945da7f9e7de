#!/usr/bin/env bash
# The lab as CHG-4502 left it: fw's eth2 has no address and fw no route to the lab (task.toml), labgw
# does not forward (its sysctl.conf, from the standard image), fw's lab rule names 10.0.30.0/24 and
# nothing lets the office into the lab (its rules.v4), and web opens the intranet to the office only
# (its nftables.conf).
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
