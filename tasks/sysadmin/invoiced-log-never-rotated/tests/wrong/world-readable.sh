#!/usr/bin/env bash
# Wrong: su for logrotate, and new logs created 0644 for invoiced ("so that it can write it"); it rotates and invoiced logs, but every account can read the invoices.
set -euo pipefail
sed -i -e 's/^    create 0640 root adm$/    create 0644 invoiced invoiced/' -e '/^    daily$/a\    su root invoiced' /etc/logrotate.d/invoiced
chmod 644 /var/log/invoiced/invoiced.log
