#!/usr/bin/env bash
# Grader: deploy may restart nginx through sudo without a password, and do nothing else as root.
as_deploy() { runuser -u deploy -- "$@" </dev/null >/dev/null 2>&1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
check "deploy restarts nginx with sudo and no password" 'as_deploy sudo -n systemctl restart nginx'
check "nginx is running afterwards" 'systemctl is-active --quiet nginx'
check "deploy cannot stop nginx as root" '! as_deploy sudo -n systemctl stop nginx'
check "deploy cannot read /etc/shadow as root" '! as_deploy sudo -n cat /etc/shadow'
check "deploy cannot open a root shell" '! as_deploy sudo -n -i true'
check "deploy is not in the sudo group" '! id -nG deploy | grep -qw sudo'
check "the sudoers files are valid" 'visudo -c >/dev/null 2>&1'
check "deploy still logs in with its password" '[ -n "$(getent shadow deploy | cut -d: -f2 | grep -v "^[!*]")" ]'
exit $failed
