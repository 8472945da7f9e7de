#!/usr/bin/env bash
# Wrong: every login closed, and the report moved to reports, whose folder is handed over whole (chown -R reports:reports); reports writes tonight's report, but finance (anna) can no longer read any report.
set -euo pipefail
usermod --lock --expiredate 1 mweber
key=$(awk '{ print $2 }' /home/mweber/.ssh/authorized_keys)
sed -i "\\|$key|d" /home/deploy/.ssh/authorized_keys /root/.ssh/authorized_keys
rm /etc/sudoers.d/mweber
gpasswd -d mweber finance
install -m 755 /home/mweber/bin/invoice-report /usr/local/bin/invoice-report
usermod -aG invoicing reports
chown reports /srv/reports /srv/reports/invoices
chmod g+s /srv/reports /srv/reports/invoices
mkdir -p /etc/systemd/system/invoice-report.service.d
printf '[Service]\nUser=reports\nExecStart=\nExecStart=/usr/local/bin/invoice-report\n' >/etc/systemd/system/invoice-report.service.d/reports.conf
systemctl daemon-reload
chown -R reports:reports /srv/reports/invoices
