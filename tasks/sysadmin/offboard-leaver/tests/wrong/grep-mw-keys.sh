#!/usr/bin/env bash
# Wrong: lock and expire mweber and delete every key whose comment mentions "mw" from deploy's and root's authorized_keys; Martin's keys go, and so does Mark Webb's (mwebb@ops-laptop), who can no longer deploy.
set -euo pipefail
usermod --lock --expiredate 1 mweber
sed -i '/mw/d' /home/deploy/.ssh/authorized_keys /root/.ssh/authorized_keys
sed -i '/martin/d' /home/deploy/.ssh/authorized_keys /root/.ssh/authorized_keys
rm /etc/sudoers.d/mweber
gpasswd -d mweber finance
install -m 755 /home/mweber/bin/invoice-report /usr/local/bin/invoice-report
usermod -aG invoicing reports
chown reports /srv/reports /srv/reports/invoices
chmod g+s /srv/reports /srv/reports/invoices
mkdir -p /etc/systemd/system/invoice-report.service.d
printf '[Service]\nUser=reports\nExecStart=\nExecStart=/usr/local/bin/invoice-report\n' >/etc/systemd/system/invoice-report.service.d/reports.conf
systemctl daemon-reload
