#!/usr/bin/env bash
# Wrong: remove the sessions idle for more than a day by hand, on the volume itself; logins work today, and the hourly clean-up still finds nothing through the link, so the volume fills up again.
set -euo pipefail
find /srv/sessions -type f -name 'sess_*' -mmin +1440 -delete
