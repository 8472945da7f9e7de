#!/usr/bin/env bash
# Grader: the site serves the reports, the key stays private, nginx keeps working after a restart.
source /run/opslab-grader/lib.sh
check "the reports page answers 200" '[ "$(http_status http://localhost:8080/)" = 200 ]'
check "the page is the reports index" 'curl -s http://localhost:8080/ | grep -q "Quarterly reports"'
check "the Q3 report answers 200" '[ "$(http_status http://localhost:8080/q3/summary.csv)" = 200 ]'
check "the signing key is not served" '[ "$(http_status http://localhost:8080/.signing.key)" = 403 ]'
check "the signing key is readable by root only" '[ "$(stat -c %a /srv/reports/.signing.key | cut -c2-)" = 00 ] && [ "$(stat -c %u /srv/reports/.signing.key)" = 0 ]'
check "www-data cannot read the signing key" '! runuser -u www-data -- cat /srv/reports/.signing.key >/dev/null 2>&1'
check "no report is writable by others" '[ -z "$(find /srv/reports -perm -o+w)" ]'
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
restart_unit nginx
check "after a restart of nginx the reports still answer 200" 'eventually 10 "[ \"\$(http_status http://localhost:8080/)\" = 200 ]"'
check "the default site still answers on port 80" '[ "$(http_status http://localhost/)" = 200 ]'
finish
