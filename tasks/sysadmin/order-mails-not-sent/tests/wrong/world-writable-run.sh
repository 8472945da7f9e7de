#!/usr/bin/env bash
# Wrong: delete the override and open the folder to all (0777 in the vendor file and RuntimeDirectoryMode, preserved for both units); the mail goes through, and any account can now plant files in courierd's runtime folder, against the baseline.
set -euo pipefail
rm /etc/tmpfiles.d/courier.conf
printf 'd /run/courier 0777 courier courier -\n' >/usr/lib/tmpfiles.d/courier.conf
for unit in courierd courier-digest; do
  mkdir -p "/etc/systemd/system/$unit.service.d"
  printf '[Service]\nRuntimeDirectory=courier\nRuntimeDirectoryMode=0777\nRuntimeDirectoryPreserve=yes\n' >"/etc/systemd/system/$unit.service.d/run.conf"
done
systemctl daemon-reload
systemctl restart courierd.service
