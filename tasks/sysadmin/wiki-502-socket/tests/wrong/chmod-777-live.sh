#!/usr/bin/env bash
# Wrong: give the pages back to wikid, then chmod 777 the socket and its folder; the wiki answers until wikid restarts and recreates both, and meanwhile any account can talk to wikid.
set -euo pipefail
chown -R wikid:wikid /srv/wiki/pages
systemctl reset-failed wikid.service
systemctl restart wikid.service
for _ in $(seq 1 20); do [ -S /run/wikid/wikid.sock ] && break; sleep 0.5; done
chmod 777 /run/wikid /run/wikid/wikid.sock
