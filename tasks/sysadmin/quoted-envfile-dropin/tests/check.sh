#!/usr/bin/env bash
# Grader: quoted runs with the settings of /etc/quoted/quoted.env (a changed setting takes effect on
# restart), the vendor unit is untouched, and the service starts at boot.
VENDOR_UNIT=/usr/lib/systemd/system/quoted.service
VENDOR_SHA256=854e97f1458feb0277d421b62343c926a61eb8e89bf04df816e0f8a915f07f6a
ENV_FILE=/etc/quoted/quoted.env
answers() {
  for _ in $(seq 1 20); do
    [ "$(curl -s "http://127.0.0.1:$1/")" = "$2" ] && return 0
    sleep 1
  done
  return 1
}
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
check "quoted answers on 127.0.0.1:8095 with the configured greeting" 'answers 8095 "Ship small changes, often."'
check "the vendor unit file is unchanged" '[ "$(sha256sum "$VENDOR_UNIT" | cut -d" " -f1)" = "$VENDOR_SHA256" ]'
check "quoted is enabled at boot" '[ "$(systemctl is-enabled quoted.service)" = enabled ]'
check "quoted does not run as root" 'pid=$(systemctl show -p MainPID --value quoted.service); [ "$pid" != 0 ] && [ "$(stat -c %u "/proc/$pid")" != 0 ]'
saved=$(mktemp)
cp -p "$ENV_FILE" "$saved"
sed -i 's/^QUOTED_GREETING=.*/QUOTED_GREETING="Measure twice, cut once."/' "$ENV_FILE"
systemctl restart quoted.service 2>/dev/null
check "after a change in quoted.env and a restart, quoted serves the new greeting" 'answers 8095 "Measure twice, cut once."'
cp -p "$saved" "$ENV_FILE"
rm -f "$saved"
systemctl restart quoted.service 2>/dev/null
check "after a restart quoted answers again" 'answers 8095 "Ship small changes, often."'
exit $failed
