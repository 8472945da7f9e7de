#!/usr/bin/env bash
# Answers to the branch go to web's gateway, core, which has no route to 10.0.5.0/24: add it there.
set -euo pipefail
on core ip route add 10.0.5.0/24 via 10.0.2.2
on branch curl -s --max-time 5 http://10.0.2.10/ >/dev/null
