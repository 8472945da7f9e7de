#!/usr/bin/env bash
# Grader: the site serves the reports through nginx's unprivileged workers, the key stays private, nginx
# keeps working after a restart.
source /run/opslab-grader/lib.sh
site_answers() { [ "$(http_status http://localhost:8080/)" = 200 ]; }
# The user IDs of nginx's worker processes (the children of its main process), one a line.
worker_uids() { ps -o uid= --ppid "$(systemctl show -p MainPID --value nginx)" | tr -d ' '; }
check "the reports page answers 200" 'site_answers'
check "the page is the reports index" 'curl -s http://localhost:8080/ | grep -q "Quarterly reports"'
check "the Q3 report answers 200" '[ "$(http_status http://localhost:8080/q3/summary.csv)" = 200 ]'
check "the signing key is not served" '[ "$(http_status http://localhost:8080/.signing.key)" = 403 ]'
check "the signing key is root's and readable by root only" '[ "$(stat -c %u:%a /srv/reports/.signing.key | sed "s/:[0-7]/:/")" = 0:00 ]'
check "www-data cannot read the signing key" '! as_user www-data cat /srv/reports/.signing.key >/dev/null 2>&1'
check "no report is writable by others" '[ -z "$(find /srv/reports -perm -o+w)" ]'
check "nginx's workers do not run as root" '[ -n "$(worker_uids)" ] && ! worker_uids | grep -qx 0'
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
restart_unit nginx
check "after a restart of nginx the reports still answer 200" 'eventually 5 site_answers'
check "the default site still answers on port 80" '[ "$(http_status http://localhost/)" = 200 ]'
finish
