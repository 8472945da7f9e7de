#!/usr/bin/env bash
# Wrong: lock and expire mweber's account and delete his own authorized_keys, drop his sudo rights and move the report; his key is still in deploy's and root's authorized_keys, and opens both.
set -euo pipefail
usermod --lock --expiredate 1 mweber
rm /home/mweber/.ssh/authorized_keys
rm /etc/sudoers.d/mweber
gpasswd -d mweber finance
install -m 755 /home/mweber/bin/invoice-report /usr/local/bin/invoice-report
usermod -aG invoicing reports
chown reports /srv/reports /srv/reports/invoices
chmod g+s /srv/reports /srv/reports/invoices
mkdir -p /etc/systemd/system/invoice-report.service.d
printf '[Service]\nUser=reports\nExecStart=\nExecStart=/usr/local/bin/invoice-report\n' >/etc/systemd/system/invoice-report.service.d/reports.conf
systemctl daemon-reload
