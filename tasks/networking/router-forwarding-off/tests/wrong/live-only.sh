#!/usr/bin/env bash
# Wrong: turns forwarding on with sysctl -w only; the intranet opens now, but the router's files still leave forwarding off, so the next reboot breaks it again.
set -euo pipefail
on router sysctl -w net.ipv4.ip_forward=1
