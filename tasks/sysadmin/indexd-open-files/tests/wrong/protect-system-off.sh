#!/usr/bin/env bash
# Wrong: a later drop-in that raises the limit and turns ProtectSystem off so indexd can write its generation, plus the PAM limit for indexd; indexd serves, but the baseline's read-only system is gone for it.
set -euo pipefail
printf '[Service]\nLimitNOFILE=8192\nProtectSystem=no\n' >/etc/systemd/system/indexd.service.d/zzz-indexd.conf
printf 'indexd soft nofile 8192\nindexd hard nofile 8192\n' >/etc/security/limits.d/91-indexd.conf
systemctl daemon-reload
systemctl reset-failed indexd.service
systemctl restart indexd.service
