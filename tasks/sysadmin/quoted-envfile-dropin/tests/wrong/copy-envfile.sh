#!/usr/bin/env bash
# Wrong: copies of the settings under the names the units ask for; quoted runs, but reads the copies, so the next change in quoted.env has no effect.
set -euo pipefail
cp /etc/quoted/quoted.env /etc/default/quoted
cp /etc/quoted/quoted.env /etc/quoted/quoted.conf
systemctl restart quoted.service
