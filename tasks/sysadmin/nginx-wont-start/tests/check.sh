#!/usr/bin/env bash
# Grader: nginx's configuration is valid and it runs; the dashboard answers by name, the default site stays default.
page() { curl -s -H "Host: $1" http://127.0.0.1/; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
check "nginx is running" 'systemctl is-active --quiet nginx'
check "http://dash.local/ is the ops dashboard" 'page dash.local | grep -q "<h1>Ops dashboard</h1>"'
check "http://localhost/ is still the default site" 'page localhost | grep -q "Welcome to nginx"'
check "an unknown host name still gets the default site" 'page unknown.example | grep -q "Welcome to nginx"'
systemctl restart nginx 2>/dev/null
check "after a restart nginx runs and serves the dashboard" 'systemctl is-active --quiet nginx && page dash.local | grep -q "Ops dashboard"'
check "the dashboard is served over IPv6 too" 'curl -s -g -H "Host: dash.local" "http://[::1]/" | grep -q "Ops dashboard"'
exit $failed
