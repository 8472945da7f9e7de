#!/usr/bin/env bash
# Wrong: add the missing newline and stop; cron reads the file again, but the unescaped % cuts the command short and the job dies of a shell syntax error.
set -euo pipefail
echo >>/etc/cron.d/stock-export
