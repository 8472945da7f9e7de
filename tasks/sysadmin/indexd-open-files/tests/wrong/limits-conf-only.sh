#!/usr/bin/env bash
# Wrong: raise indexd's open files in /etc/security/limits.conf and restart; that is PAM's limit, which the nightly check gets, but systemd never reads it for a service, so indexd still starts with 1024.
set -euo pipefail
printf 'indexd soft nofile 65536\nindexd hard nofile 65536\n' >>/etc/security/limits.conf
systemctl reset-failed indexd.service
systemctl restart indexd.service
