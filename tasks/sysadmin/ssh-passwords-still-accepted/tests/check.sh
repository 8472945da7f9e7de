#!/usr/bin/env bash
# Grader: after a reboot of sshd (its files only count), ci and ops log in with their keys; alice (a plain
# account) and vkumar (a contractor) cannot open a session with their passwords, by password or by
# keyboard-interactive authentication; their passwords still work on the console; root still cannot log in
# with a password; the contractors' and the CI account's restrictions still apply.
source /run/opslab-grader/lib.sh
HERE=${BASH_SOURCE[0]%/*}
SSH=("${SSH_CLIENT[@]}")
key_login() { [ "$("${SSH[@]}" -i "/root/.ssh/$2" -o BatchMode=yes "$1@127.0.0.1" id -un </dev/null 2>/dev/null)" = "$1" ]; }
# password_session USER PASSWORD: an ssh client offered USER's PASSWORD, by keyboard-interactive (PAM's
# prompt) then by password authentication, gets a session. NOTE: the password comes from SSH_ASKPASS,
# with no terminal at all (setsid), as a script would feed it.
password_session() {
  local askpass="$HERE/askpass-$1"
  printf '#!/bin/sh\necho %q\n' "$2" >"$askpass"
  chmod 700 "$askpass"
  SSH_ASKPASS=$askpass SSH_ASKPASS_REQUIRE=force setsid -w "${SSH[@]}" -o BatchMode=no -o PubkeyAuthentication=no \
    -o PreferredAuthentications=keyboard-interactive,password -o NumberOfPasswordPrompts=1 \
    "$1@127.0.0.1" echo SESSION-OPEN </dev/null 2>/dev/null | grep -qx SESSION-OPEN
}
reboot_unit ssh.service
check "sshd runs and starts at boot" 'systemctl is-active --quiet ssh.service && enabled_at_boot ssh.service'
# NOTE: sshd's configuration first: it costs a fraction of a second where each login costs seconds.
sshd_config=$(sshd -T 2>/dev/null) && sshd_valid=yes || sshd_valid=no
check "root still cannot log in with a password" 'grep -qx -e "permitrootlogin prohibit-password" -e "permitrootlogin without-password" -e "permitrootlogin forced-commands-only" -e "permitrootlogin no" <<<"$sshd_config"'
check "sshd's configuration is valid" '[ "$sshd_valid" = yes ]'
# NOTE: sshd's own answer to what applies to a connection of the account (its Match blocks and groups).
vkumar_config=$(sshd -T -C user=vkumar,host=localhost,addr=127.0.0.1 2>/dev/null)
ci_config=$(sshd -T -C user=ci,host=localhost,addr=127.0.0.1 2>/dev/null)
check "the contractors (vkumar) still cannot forward ports or X11" 'grep -qx "allowtcpforwarding no" <<<"$vkumar_config" && grep -qx "x11forwarding no" <<<"$vkumar_config"'
check "the CI account still gets no terminal" 'grep -qx "permittty no" <<<"$ci_config"'
# NOTE: each login costs seconds of the VM's CPU. The two on the console (one python3 start, logins) and
# alice's ssh session start together, and are checked in turn (a refused password waits out PAM's failure
# delay: they wait it out together); then the other ssh logins start together and are checked in turn: a
# grade that stops at its first failure (verification's) ends before them when the first ones fail.
doing step "logging in with alice's and vkumar's passwords on the console, and alice's over ssh"
logins alice:Plover-Quartz-71 vkumar:Finch-Marble-52 >"$HERE/console" &
console=$!
password_session alice Plover-Quartz-71 &
alice_ssh=$!
wait "$console"
mapfile -t console <"$HERE/console"
check "alice still logs in with her password on the console" '[ "${console[0]-}" = "alice in" ]'
check "vkumar still logs in with his password on the console" '[ "${console[1]-}" = "vkumar in" ]'
check "alice's password opens no ssh session (password or keyboard-interactive)" '! wait "$alice_ssh"'
doing step "logging in with vkumar's password over ssh, and with the CI's and the admin's keys"
password_session vkumar Finch-Marble-52 &
vkumar_ssh=$!
key_login ci ci_deploy &
ci_key=$!
key_login ops ops_admin &
ops_key=$!
check "vkumar's password opens no ssh session (password or keyboard-interactive)" '! wait "$vkumar_ssh"'
check "the CI deploy (ci) logs in with its key" 'wait "$ci_key"'
check "the admin (ops) logs in with the key" 'wait "$ops_key"'
finish
