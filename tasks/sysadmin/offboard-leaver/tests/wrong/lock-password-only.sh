#!/usr/bin/env bash
# Wrong: lock mweber's password, drop his sudo rights and move the report to reports; his key still opens his own account (a locked password does not stop key logins), deploy's and root's.
set -euo pipefail
usermod --lock mweber
rm /etc/sudoers.d/mweber
gpasswd -d mweber finance
install -m 755 /home/mweber/bin/invoice-report /usr/local/bin/invoice-report
usermod -aG invoicing reports
chown reports /srv/reports /srv/reports/invoices
chmod g+s /srv/reports /srv/reports/invoices
mkdir -p /etc/systemd/system/invoice-report.service.d
printf '[Service]\nUser=reports\nExecStart=\nExecStart=/usr/local/bin/invoice-report\n' >/etc/systemd/system/invoice-report.service.d/reports.conf
systemctl daemon-reload
