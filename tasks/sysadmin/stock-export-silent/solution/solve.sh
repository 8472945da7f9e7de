#!/usr/bin/env bash
# Two faults, one behind the other: the deploy tool wrote /etc/cron.d/stock-export without a newline at
# its end, so cron ignores the whole file ("Missing newline before EOF" in cron's journal); and in a
# crontab an unescaped % ends the command (the rest becomes its input), so the job ran `... >
# .../stock-$(date +` and died of a shell syntax error whose message cron discards. Escape the %s.
set -euo pipefail
ls -l /srv/partner-drop/outbox
journalctl -u cron.service --no-pager | tail -n 5
cat -A /etc/cron.d/stock-export
echo >>/etc/cron.d/stock-export
sed -i '/stock-export >/ s/%/\\%/g' /etc/cron.d/stock-export
cat -A /etc/cron.d/stock-export
systemctl restart cron.service
journalctl -u cron.service --no-pager | tail -n 3
# The job's command as cron hands it to the shell now (\% is %), as stock, with cron's environment.
runuser -u stock -- env -i SHELL=/bin/sh PATH=/usr/local/bin:/usr/bin:/bin HOME=/srv/stock LOGNAME=stock \
  /bin/sh -c 'stock-export > /srv/partner-drop/outbox/stock-$(date +%Y%m%d-%H).csv 2>>/var/log/stock/export.err'
ls -l /srv/partner-drop/outbox
