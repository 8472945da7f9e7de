#!/usr/bin/env bash
# Wrong: un-expire alice and give her a new password instead of unlocking hers; she wanted to keep her own.
set -euo pipefail
chage --expiredate -1 alice
echo 'alice:Welcome-back-2024' | chpasswd
