#!/usr/bin/env bash
# Grader: nginx owns port 80, hostinfo answers on 8081, and both come back in boot order
# (sockets first, then nginx) after being stopped.
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
nginx_on_80() { curl -s -m 10 http://127.0.0.1/ | grep -q "Welcome to nginx"; }
hostinfo_on_8081() { curl -s -m 10 http://127.0.0.1:8081/ | grep -q "^hostinfo: "; }
check "port 80 serves the nginx site" 'nginx_on_80'
check "nginx is running" 'systemctl is-active --quiet nginx'
check "hostinfo answers on port 8081" 'hostinfo_on_8081'
check "hostinfo and nginx are enabled at boot" '[ "$(systemctl is-enabled hostinfo.socket)" = enabled ] && [ "$(systemctl is-enabled nginx.service)" = enabled ]'
systemctl stop nginx.service hostinfo.socket 2>/dev/null
systemctl start hostinfo.socket 2>/dev/null
systemctl start nginx.service 2>/dev/null
check "started again in boot order, nginx serves port 80" 'systemctl is-active --quiet nginx && nginx_on_80'
check "started again in boot order, hostinfo answers on 8081" 'hostinfo_on_8081'
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
exit $failed
