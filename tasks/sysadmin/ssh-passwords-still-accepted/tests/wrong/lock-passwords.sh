#!/usr/bin/env bash
# Wrong: lock the password of every account with a home in /home; no password gets in over ssh any more, but neither on the console, which the ticket says people still use.
set -euo pipefail
for user in alice ops vkumar; do passwd -l "$user"; done
