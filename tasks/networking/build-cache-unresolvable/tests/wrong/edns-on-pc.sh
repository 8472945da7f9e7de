#!/usr/bin/env bash
# Wrong: turns on EDNS in pc's resolver options, so its queries ask for big UDP answers and never fall back to TCP; pc resolves the pool, and DNS over TCP (what every other client without EDNS needs) stays dropped on the way.
set -euo pipefail
on pc 'echo "options edns0" >> /etc/resolv.conf'
