#!/usr/bin/env bash
# Grader: nginx's configuration is valid and it runs; the dashboard answers by name, the default site stays default.
source /run/opslab-grader/lib.sh
page() { curl -s -m 5 -H "Host: $1" http://127.0.0.1/; }
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
check "nginx is running" 'systemctl is-active --quiet nginx'
check "http://dash.local/ is the ops dashboard" 'page dash.local | grep -q "<h1>Ops dashboard</h1>"'
check "http://localhost/ is still the default site" 'page localhost | grep -q "Welcome to nginx"'
check "an unknown host name still gets the default site" 'page unknown.example | grep -q "Welcome to nginx"'
restart_unit nginx
check "after a restart nginx runs and serves the dashboard" 'eventually 10 "page dash.local | grep -q \"Ops dashboard\""'
check "the dashboard is served over IPv6 too" 'curl -s -m 5 -g -H "Host: dash.local" "http://[::1]/" | grep -q "Ops dashboard"'
finish
