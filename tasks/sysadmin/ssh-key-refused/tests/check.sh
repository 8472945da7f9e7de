#!/usr/bin/env bash
# Grader: carol and dave log in with their keys (sshd keeps StrictModes), carol can work in her
# home, nobody else can write there, and it all still holds after a reboot of sshd.
source /run/opslab-grader/lib.sh
ssh_as() {
  local user=$1
  shift
  "${SSH_CLIENT[@]}" -i "/root/.ssh/${user}_robot" -o BatchMode=yes "$user@127.0.0.1" "$@" </dev/null 2>/dev/null
}
# NOTE: a login costs seconds in the VM (sshd's start and the key exchange): one session answers both.
doing step "carol logs in over ssh"
carol_session=$(ssh_as carol 'id -un && touch ~/.grader-probe && rm ~/.grader-probe && echo WROTE && cat ~/reports.txt')
check "carol logs in with her key" '[ "$(head -n 1 <<<"$carol_session")" = carol ]'
check "carol can write in her home over ssh" 'sed -n 2p <<<"$carol_session" | grep -qx WROTE && grep -q "weekly report" <<<"$carol_session"'
check "dave still logs in with his key" '[ "$(ssh_as dave id -un)" = dave ]'
# NOTE: one sshd -T for both (each start costs about a second in the VM).
sshd_config=$(sshd -T 2>/dev/null)
check "sshd still enforces StrictModes" 'grep -qx "strictmodes yes" <<<"$sshd_config"'
check "sshd still refuses root logins with a password" '! grep -qx "permitrootlogin yes" <<<"$sshd_config"'
# can_write USER PATH: USER may change PATH (modes, groups and ACLs all count).
can_write() { as_user "$1" test -w "$2" 2>/dev/null; }
# NOTE: dave shares the users group that carol's home came with; nobody stands for everyone else.
others_cannot_write() {
  local user path
  for user in dave nobody; do
    for path in /home/carol /home/carol/.ssh /home/carol/.ssh/authorized_keys; do
      if can_write "$user" "$path"; then return 1; fi
    done
  done
}
check "no other user can write into carol's home, her .ssh or her keys" 'others_cannot_write'
check "carol's files are still hers" '[ "$(stat -c %U /home/carol /home/carol/reports.txt | sort -u)" = carol ]'
check "sshd starts at boot" 'enabled_at_boot ssh.service'
reboot_unit ssh.service
check "after a reboot of sshd carol logs in with her key" '[ "$(ssh_as carol id -un)" = carol ]'
finish
