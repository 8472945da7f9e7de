#!/usr/bin/env bash
# Wrong: fix the tmpfiles.d override and restart courierd, the digest left as it is; courierd comes up at boot, and the next digest run deletes /run/courier with its socket.
set -euo pipefail
printf 'd /run/courier 0750 courier courier -\n' >/etc/tmpfiles.d/courier.conf
systemd-tmpfiles --create --prefix=/run/courier
systemctl restart courierd.service
