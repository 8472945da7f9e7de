#!/usr/bin/env bash
# CHG-4720 as it was left (files/): the IPv6-only CI segment is cabled and addressed, rtr's ruleset lets
# the runners through to the repository's port 80, but rtr does not forward IPv6 (its sysctl.conf, as
# Debian ships it), repo's firewall (written for IPv4) drops neighbour discovery, repo has no IPv6
# default route, and repo's nginx listens on IPv4 only. rtr's rules.v6 is an old file nothing loads.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec repo curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
