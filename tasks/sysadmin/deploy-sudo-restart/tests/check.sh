#!/usr/bin/env bash
# Grader: deploy restarts nginx through sudo without a password, and sudo lets it do nothing else as
# root, not even with its password.
source /run/opslab-grader/lib.sh
DEPLOY_PASSWORD=Zq8wd2fT9x
as_deploy() { as_user deploy "$@" </dev/null >/dev/null 2>&1; }
# deploy_may COMMAND...: sudo would run COMMAND as root for deploy, with its password if it asked.
deploy_may() {
  printf '%s\n' "$DEPLOY_PASSWORD" | as_user deploy sudo -S -p '' -l "$@" >/dev/null 2>&1
}
nginx_pid() { systemctl show -p MainPID --value nginx; }
before=$(nginx_pid)
check "deploy restarts nginx with sudo and no password" 'as_deploy sudo -n systemctl restart nginx'
check "nginx really restarted and runs" 'eventually 10 "systemctl is-active --quiet nginx && [ \"\$(nginx_pid)\" != $before ]"'
# NOTE: the probe must see what is granted, or every "cannot" below would pass by itself.
check "sudo's rules grant deploy the restart of nginx" 'deploy_may systemctl restart nginx'
check "deploy cannot stop nginx as root" '! deploy_may systemctl stop nginx'
check "deploy cannot restart another service as root" '! deploy_may systemctl restart ssh && ! deploy_may systemctl restart cron.service'
check "deploy cannot restart nginx and another service in one command" '! deploy_may systemctl restart nginx ssh'
check "deploy cannot read /etc/shadow as root" '! deploy_may cat /etc/shadow'
check "deploy cannot open a root shell" '! deploy_may /bin/bash && ! deploy_may -i'
check "deploy is not in the sudo group" '! id -nG deploy | grep -qw sudo'
check "the sudoers files are valid" 'visudo -c >/dev/null 2>&1'
check "deploy still logs in with its password" '[ -n "$(getent shadow deploy | cut -d: -f2 | grep -v "^[!*]")" ]'
finish
