#!/usr/bin/env bash
# Wrong: make systemd bring quotegen back faster (Restart=always, RestartSec=0); it is still killed whenever its cache fills, and the requests of that moment still fail.
set -euo pipefail
printf '[Service]\nRestart=always\nRestartSec=0\n' >/etc/systemd/system/quotegen.service.d/restart.conf
systemctl daemon-reload
systemctl restart quotegen.service
