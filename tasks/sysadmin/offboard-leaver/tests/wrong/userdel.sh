#!/usr/bin/env bash
# Wrong: move the report, delete his key from deploy's and root's authorized_keys, then delete the account with its home (userdel -r); he is locked out, but HR's files and his UID are gone.
set -euo pipefail
install -m 755 /home/mweber/bin/invoice-report /usr/local/bin/invoice-report
usermod -aG invoicing reports
chown reports /srv/reports /srv/reports/invoices
chmod g+s /srv/reports /srv/reports/invoices
mkdir -p /etc/systemd/system/invoice-report.service.d
printf '[Service]\nUser=reports\nExecStart=\nExecStart=/usr/local/bin/invoice-report\n' >/etc/systemd/system/invoice-report.service.d/reports.conf
systemctl daemon-reload
key=$(awk '{ print $2 }' /home/mweber/.ssh/authorized_keys)
sed -i "\\|$key|d" /home/deploy/.ssh/authorized_keys /root/.ssh/authorized_keys
rm /etc/sudoers.d/mweber
userdel -r mweber 2>/dev/null || true
