#!/usr/bin/env bash
# Three faults: prn was set up with nas's address and a gateway that does not exist (task.toml), and
# gw pins 10.0.2.30 to nas's old card (its interfaces file, files/). backup's ARP cache starts with
# the printer's answer for 10.0.2.30.
set -euo pipefail
ip netns exec backup ip neighbour replace 10.0.2.30 lladdr 02:4f:8f:e0:cb:fd dev eth0 nud stale
