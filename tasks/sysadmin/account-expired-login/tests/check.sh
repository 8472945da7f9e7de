#!/usr/bin/env bash
# Grader: alice logs in with her own password and her account no longer expires in the past; the leaver
# stays expired and PAM still refuses expired accounts on every way in; nobody else changed.
source /run/opslab-grader/lib.sh
# expired USER: the account's expiry date (shadow's 8th field, days since 1970) is not in the future.
expired() {
  local day
  day=$(getent shadow "$1" | cut -d: -f8)
  [ -n "$day" ] && [ "$day" -le $(($(date +%s) / 86400)) ]
}
check "alice logs in with her password" 'logs_in alice Lp7-winter-Kettle'
# NOTE: refused logins wait out PAM's failure delay: they run beside the checks that follow (they change nothing).
check_later "a wrong password still does not let alice in" '! logs_in alice not-her-password'
check "alice's account no longer counts as expired" '! expired alice'
check "alice keeps her UID 1040 and her files" '[ "$(id -u alice)" = 1040 ] && [ "$(stat -c %U /home/alice/notes.txt)" = alice ] && grep -q "rotate the backup disks" /home/alice/notes.txt'
check_later "mallory (contract ended) still cannot log in" '! logs_in mallory Qr4-summer-Anvil'
check "mallory's account is still there and still expired, for the audit" '[ "$(id -u mallory 2>/dev/null)" = 1041 ] && [ -d /home/mallory ] && expired mallory'
# NOTE: the probe must admit an account in good standing, or every refusal below would pass by itself.
# NOTE: one python3 start for every PAM question (pam_accounts), asked just before the checks read them.
pam=$(pam_accounts login:bob login:mallory sshd:mallory su:mallory su-l:mallory)
check "PAM's account checks admit bob" 'grep -qx "login:bob admitted" <<<"$pam"'
for service in login sshd su su-l; do
  check "PAM's account checks for $service still refuse an expired account" "grep -qx '$service:mallory refused' <<<\"\$pam\""
done
check "bob still logs in with his password" 'logs_in bob Wt2-autumn-Ladle'
finish
