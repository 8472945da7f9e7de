#!/usr/bin/env bash
# INC-4630's limit and the partners' old range as they were left (files/): edge limits new connections
# to the shop per source in its own table at prerouting, where the forward chain's partner exemption
# comes too late; and the partners' set still has Marketplace's old range, not its crawlers' new one.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec shop curl -s -o /dev/null http://127.0.0.1/ && break; sleep 0.5; done
