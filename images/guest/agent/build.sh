#!/usr/bin/env bash
# Compiles the guest agent for the i386 guest: images/assemble.sh and images/update-guest.ts both build it here.
# Usage: build.sh OUT
# Needs: gcc-multilib. The guest is Debian i386 with this host's glibc, so it links dynamically.
# NOTE: the same sources and compiler give the same bytes (no paths or times end up in the stripped binary).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gcc -m32 -O2 -s -pthread -Wall -Wextra -Werror -o "$1" \
  "$here/opslab-agent.c" "$here/json.c" "$here/mac.c"
chmod 0755 "$1"
