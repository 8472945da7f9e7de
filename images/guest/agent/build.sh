#!/usr/bin/env bash
# Compiles OpsLab's guest programs for the i386 guest into a root tree: usr/local/sbin/opslab-agent (the
# host's command channel) and usr/local/bin/cloud (the simulated cloud's command line). images/assemble.sh
# and images/update-guest.ts both build them here.
# Usage: build.sh ROOT
# Needs: gcc-multilib. The guest is Debian i386 with this host's glibc, so they link dynamically.
# NOTE: the same sources and compiler give the same bytes (no paths or times end up in the stripped binaries).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1/usr/local/sbin" "$1/usr/local/bin"
gcc -m32 -O2 -s -pthread -Wall -Wextra -Werror -o "$1/usr/local/sbin/opslab-agent" \
  "$here/opslab-agent.c" "$here/json.c" "$here/mac.c"
gcc -m32 -O2 -s -Wall -Wextra -Werror -o "$1/usr/local/bin/cloud" "$here/cloud.c" "$here/json.c"
chmod 0755 "$1/usr/local/sbin/opslab-agent" "$1/usr/local/bin/cloud"
