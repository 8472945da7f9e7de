#!/usr/bin/env bash
# Wrong: recreate the account, then chmod 777 the state folder instead of giving it to reportd; it starts, but every account can now rewrite reportd's state.
set -euo pipefail
useradd --system --home-dir /var/lib/reportd --shell /usr/sbin/nologin reportd
chmod 777 /var/lib/reportd
systemctl restart reportd.service
