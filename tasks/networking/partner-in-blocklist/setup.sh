#!/usr/bin/env bash
# INC-4471's block as it was left (files/): edge drops the whole 198.51.100.0/24 in its raw prerouting
# and null-routes it, and Northwind's range was never added to the partners' set.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec api curl -s -o /dev/null http://127.0.0.1:8080/v1/ping && break; sleep 0.5; done
