#!/usr/bin/env bash
# Grader: nginx owns port 80 and hostinfo answers on 8081, now and after a reboot of both units (their
# configuration under /run forgotten, sockets started first, then nginx).
source /run/opslab-grader/lib.sh
nginx_on_80() { curl -s -m 5 http://127.0.0.1/ | grep -q "Welcome to nginx"; }
hostinfo_on_8081() { curl -s -m 5 http://127.0.0.1:8081/ | grep -q "^hostinfo: "; }
check "port 80 serves the nginx site" 'nginx_on_80'
check "nginx is running" 'systemctl is-active --quiet nginx'
check "hostinfo answers on port 8081" 'hostinfo_on_8081'
check "hostinfo and nginx are enabled at boot" 'enabled_at_boot hostinfo.socket && enabled_at_boot nginx.service'
reboot_unit hostinfo.socket nginx.service
# NOTE: no waiting for an nginx that could not start (port 80 taken) or a socket that could not listen.
check "after a reboot nginx serves port 80" 'eventually_up nginx.service 10 nginx_on_80'
check "after a reboot hostinfo answers on 8081" 'eventually_up hostinfo.socket 10 hostinfo_on_8081'
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
finish
