#!/usr/bin/env bash
# Grader: priced answers now; then the server is booted as a boot would do it (priced and secretsync
# stopped, /run/priced and /run/keys gone, what tmpfiles.d asks for made, the units enabled at boot started
# in one transaction) after the feed key was rotated in the vault: priced must come up at its first attempt
# (no failure, no automatic restart), serve prices with the new key, and the key stay private.
source /run/opslab-grader/lib.sh
KV=/var/lib/secretsync/kv/priced
health() { curl -s -m 3 http://127.0.0.1:8086/health; }
# NOTE: asks priced only once it listens: a curl every try would slow its start (python's) that it waits for.
serves_with() { listening 8086 && health | grep -qF "\"feed_key\": \"$1\"" && curl -s -m 3 'http://127.0.0.1:8086/v1/price?sku=SKU-2040' | grep -qF '"price_eur": 149.0'; }
# serves_another_key ID: priced answers with a feed key other than ID; it reads its key once, at its start.
serves_another_key() { local answer; listening 8086 && answer=$(health) && [[ $answer == *'"feed_key": '* && $answer != *"\"feed_key\": \"$1\""* ]]; }
priced_user() { local pid; pid=$(systemctl show -p MainPID --value priced.service); [ "$pid" != 0 ] && stat -c %U "/proc/$pid"; }
# key_private: nobody and www-data can read neither the key nor the vault's copy (neither is empty: one they
# could read would give head its first byte). NOTE: one process an account (each start counts in the VM).
key_private() {
  local user
  for user in nobody www-data; do
    [ -z "$(as_user "$user" head -q -c 1 -- /run/keys/priced.key "$KV" 2>/dev/null)" ] || return 1
  done
}
# boot: what a reboot does to priced and its key. NOTE: the units start in one transaction, as at boot,
# so only their own ordering (After=, Requires=...) decides which goes first.
boot() {
  local i units=() enabled=() all=(secretsync.service priced.service)
  doing step "rebooting: priced and secretsync stop, /run is emptied, the units enabled at boot start"
  forget_runtime_config secretsync.service priced.service
  systemctl stop priced.service secretsync.service 2>/dev/null
  systemctl reset-failed priced.service secretsync.service 2>/dev/null
  rm -rf /run/priced /run/keys
  systemd-tmpfiles --create --prefix=/run/priced --prefix=/run/keys >/dev/null 2>&1
  # NOTE: enabled_at_boot's test, one systemctl for both (a line a unit): each costs 0.1 to 0.2 s in the VM.
  # It stops at a unit it cannot find: then each is asked alone.
  mapfile -t enabled < <(systemctl is-enabled "${all[@]}" 2>/dev/null)
  [ "${#enabled[@]}" = 2 ] ||
    enabled=("$(systemctl is-enabled "${all[0]}" 2>/dev/null)" "$(systemctl is-enabled "${all[1]}" 2>/dev/null)")
  for i in 0 1; do
    if [ "${enabled[i]}" = enabled ]; then units+=("${all[i]}"); fi
  done
  booted_at=$(date '+%Y-%m-%d %H:%M:%S')
  [ "${#units[@]}" = 0 ] || systemctl start "${units[@]}" >/dev/null 2>&1
}
failed_since_boot() { journalctl -u priced.service --since "$booted_at" -o cat 2>/dev/null | grep -q -e 'Failed with result' -e 'Scheduled restart job'; }
check "priced answers with prices now" 'eventually_up priced.service 10 "serves_with fx-2026-11"'
check "priced and its key start at boot" 'enabled_at_boot priced.service'
doing step "rotating the feed key in the vault"
printf 'id: fx-2026-12\nsecret: %s\n' "$(head -c 24 /dev/urandom | base64)" >"$KV"
boot
check "after a reboot priced answers with prices" 'eventually_up priced.service 15 "serves_with fx-2026-12" "serves_another_key fx-2026-12"'
check "after a reboot priced came up at its first attempt (no failure, no restart)" '! failed_since_boot && [ "$(systemctl show -p NRestarts --value priced.service)" = 0 ]'
check "after a reboot priced runs as the priced account" '[ "$(priced_user)" = priced ]'
check "the feed key is readable by priced, not by other accounts" 'as_user priced cat /run/keys/priced.key >/dev/null 2>&1 && key_private'
finish
