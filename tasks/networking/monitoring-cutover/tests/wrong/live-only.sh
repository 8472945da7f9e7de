#!/usr/bin/env bash
# Wrong: makes the change with live nft commands only (the sets on core, a rule on app and db); mon scrapes everything now, and after core, app and db reboot they load their unchanged files again.
set -euo pipefail
on core nft delete element inet filter admins '{ 10.0.8.6 }'
on core nft delete element inet filter monitoring '{ 10.0.8.5 }'
on core nft add element inet filter monitoring '{ 10.0.8.6 }'
for host in app db; do
  on $host nft insert rule inet filter input ip saddr 10.0.8.6 tcp dport 9100 accept
done
