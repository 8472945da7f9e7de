#!/usr/bin/env bash
# sudo skips files in /etc/sudoers.d whose names contain a dot: give the rule a name it reads.
set -euo pipefail
mv /etc/sudoers.d/deploy.conf /etc/sudoers.d/deploy
chmod 440 /etc/sudoers.d/deploy
visudo -c
