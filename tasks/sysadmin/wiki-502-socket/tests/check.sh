#!/usr/bin/env bash
# Grader: the wiki answers through nginx, served by wikid running as wikid, nginx's workers unprivileged;
# the page files readable by wikid alone; wikid's socket closed to other accounts; all of it again
# after a reboot of wikid and nginx (whatever was chmod-ed live is gone).
source /run/opslab-grader/lib.sh
PAGES=/srv/wiki/pages
# page_ok PAGE TEXT: the wiki answers 200 for PAGE through nginx, with TEXT in it.
page_ok() {
  local out
  out=$(curl -s -m 5 -w '\n%{http_code}' "http://127.0.0.1:8090/$1") && [ "${out##*$'\n'}" = 200 ] && grep -qF "$2" <<<"$out"
}
serves() { page_ok "" "# Team wiki" && page_ok runbook "Acknowledge the page"; }
worker_uids() { ps -o uid= --ppid "$(systemctl show -p MainPID --value nginx)" | tr -d ' '; }
# web_user: the account nginx's workers run as (whatever nginx.conf says now).
web_user() { ps -o user:32= --ppid "$(systemctl show -p MainPID --value nginx)" | head -n 1 | tr -d ' '; }
wikid_uid() { local pid; pid=$(systemctl show -p MainPID --value wikid.service); [ "$pid" != 0 ] && stat -c %U "/proc/$pid"; }
# can_read USER: USER can read a page file (modes, ACLs and groups all count).
can_read() { as_user "$1" cat "$PAGES/draft-reorg-2027.md" >/dev/null 2>&1; }
socket_path() { awk -F' *= *' '$1 == "socket" { print $2 }' /etc/wikid/wikid.ini; }
# socket_talks USER: USER gets a page from wikid straight through its socket (not through nginx).
socket_talks() { as_user "$1" curl -s -f -m 5 --unix-socket "$(socket_path)" http://wiki/ 2>/dev/null | grep -qF "# Team wiki"; }
checks() {
  local when=$1
  # NOTE: no waiting for a wikid or an nginx that has failed, stopped or crash-loops.
  check "$when: the wiki's pages answer through nginx" 'eventually_up "wikid.service nginx.service" 20 serves'
  check "$when: wikid runs as the wikid account" '[ "$(wikid_uid)" = wikid ]'
  check "$when: nginx's account talks to wikid through its socket, other accounts cannot" 'socket_talks "$(web_user)" && ! socket_talks nobody'
}
checks "now"
check "wikid can read the pages" 'can_read wikid'
check "the web server's account cannot read the page files" 'web=$(web_user) && [ -n "$web" ] && ! can_read "$web" && ! can_read www-data'
check "other accounts cannot read the page files" '! can_read nobody'
check "nginx's workers do not run as root" '[ -n "$(worker_uids)" ] && ! worker_uids | grep -qx 0'
check "wikid and nginx are enabled at boot" 'enabled_at_boot wikid.service && enabled_at_boot nginx.service'
reboot_unit wikid.service nginx.service
checks "after a reboot"
check "the default site still answers on port 80" '[ "$(http_status http://127.0.0.1/)" = 200 ]'
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
finish
