#!/usr/bin/env bash
# CHG-5502 as it was left (files/): core's sets have the new monitor among the SSH admins and the old
# one as the only monitor; app's and db's own firewalls admit the old monitor only to their exporters.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec db nc -z -w 1 127.0.0.1 9100 && break; sleep 0.5; done
