#!/usr/bin/env bash
# Grader: quoted runs from the vendor's unit (unchanged, not overridden by a copy) with the settings of
# /etc/quoted/quoted.env: a changed setting there takes effect after a reboot of the unit (its runtime
# configuration forgotten); it starts at boot and does not run as root.
source /run/opslab-grader/lib.sh
VENDOR_UNIT=/usr/lib/systemd/system/quoted.service
VENDOR_SHA256=854e97f1458feb0277d421b62343c926a61eb8e89bf04df816e0f8a915f07f6a
ENV_FILE=/etc/quoted/quoted.env
# greets GREETING: quoted answers on its port, with GREETING.
# NOTE: quoted reads its settings once, at its start: its first answer is the one it keeps, so the wait ends
# there. curl only once the port listens (listening): a curl every try of a wait slows quoted's start.
greets() {
  local answer
  eventually_up quoted.service 20 'listening 8095 && answer=$(curl -s -m 3 http://127.0.0.1:8095/) && [ -n "$answer" ]' &&
    [ "$answer" = "$1" ]
}
check "quoted answers on 127.0.0.1:8095 with the configured greeting" 'greets "Ship small changes, often."'
check "the vendor unit file is unchanged" '[ "$(sha256sum "$VENDOR_UNIT" | cut -d" " -f1)" = "$VENDOR_SHA256" ]'
# NOTE: by the file itself: systemd may name it /lib/systemd/system/quoted.service.
check "quoted is defined by the vendor unit file, not a copy" '[ "$(realpath "$(systemctl show -p FragmentPath --value quoted.service)")" = "$(realpath "$VENDOR_UNIT")" ]'
check "quoted is enabled at boot" 'enabled_at_boot quoted.service'
check "quoted does not run as root" 'pid=$(systemctl show -p MainPID --value quoted.service); [ "$pid" != 0 ] && [ "$(stat -c %u "/proc/$pid")" != 0 ]'
saved=$(mktemp)
cp -p "$ENV_FILE" "$saved"
sed -i 's/^QUOTED_GREETING=.*/QUOTED_GREETING="Measure twice, cut once."/' "$ENV_FILE"
reboot_unit quoted.service
check "after a change in quoted.env and a reboot, quoted serves the new greeting" 'greets "Measure twice, cut once."'
cp -p "$saved" "$ENV_FILE"
rm -f "$saved"
restart_unit quoted.service
finish
