#!/usr/bin/env bash
# Offboarding mweber: his key is in his own authorized_keys, in deploy's (as martin@x1carbon) and in
# root's (as mw-emergency): lock and expire his account (no password, no key into it) and delete his key
# wherever it is; his sudo rights come from his own sudoers file and from the finance group's rule (he
# is in finance). The report runs as him from his private home: copy the script out, run it as reports,
# which needs the invoicing group to read the export and the reports folder (finance's, setgid) as its
# own to write in it (both folders were his).
set -euo pipefail
id mweber
systemctl cat invoice-report.service invoice-report.timer
key=$(awk '{ print $2 }' /home/mweber/.ssh/authorized_keys)
grep -rlF "$key" /root/.ssh /home/*/.ssh
usermod --lock --expiredate 1 mweber
sed -i "\\|$key|d" /home/deploy/.ssh/authorized_keys /root/.ssh/authorized_keys
grep -r mweber /etc/sudoers /etc/sudoers.d
rm /etc/sudoers.d/mweber
grep -E '^(finance|invoicing):' /etc/group
gpasswd -d mweber finance
gpasswd -d mweber invoicing
sudo -l -U mweber || true
ls -la /srv/reports/invoices /var/lib/invoicing
install -m 755 /home/mweber/bin/invoice-report /usr/local/bin/invoice-report
usermod -aG invoicing reports
chown reports /srv/reports /srv/reports/invoices
chmod g+s /srv/reports /srv/reports/invoices
mkdir -p /etc/systemd/system/invoice-report.service.d
printf '[Service]\nUser=reports\nExecStart=\nExecStart=/usr/local/bin/invoice-report\n' >/etc/systemd/system/invoice-report.service.d/reports.conf
systemctl daemon-reload
systemctl start invoice-report.service
journalctl -u invoice-report.service -n 3 --no-pager
ls -l /srv/reports/invoices
