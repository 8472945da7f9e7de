#!/usr/bin/env bash
# The fault is in task.toml: client's /etc/resolv.conf still points at 10.0.2.53, the resolver that was
# retired last year (ns, 10.0.2.54, took over).
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec router getent hosts wiki.corp.example >/dev/null && break; sleep 1; done
