#!/usr/bin/env bash
# Wrong: give carol her .ssh back and stop at the first log line; her home is still group-writable, and sshd still refuses.
set -euo pipefail
chown -R carol:carol /home/carol/.ssh
