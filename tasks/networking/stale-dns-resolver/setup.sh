#!/usr/bin/env bash
set -euo pipefail
# The image still points at the resolver that was retired last year.
printf 'search corp.example\nnameserver 10.0.2.53\n' > /etc/netns/client/resolv.conf
for _ in $(seq 1 20); do ip netns exec router getent hosts wiki.corp.example >/dev/null && break; sleep 1; done
