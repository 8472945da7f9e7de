#!/usr/bin/env bash
# The billing box's periodic jobs run as the archiver service account: root's cron through the "archiver"
# profile, fleet-inventory.service through its environment file, finops's cron through its own default profile.
set -euo pipefail
chmod 755 /usr/local/bin/invoice-snapshot /usr/local/bin/fleet-inventory /usr/local/bin/capacity-report
chmod 644 /etc/cron.d/billing-jobs
chmod 600 /etc/default/fleet-inventory
mkdir -p /var/log/billing /var/lib/inventory
useradd -m -s /bin/bash -c "finance reporting" finops
cat >>/root/.cloud/credentials <<'CREDS'

[archiver]
access_key_id = AKIA0ARC5L8M2Q7W4X1N
secret_access_key = Ar5Lm8Q2w7X4n1Zk9Vb3Cd6Fg0Hj2Kl4Mn8Pq1Rs
CREDS
printf '\n[profile archiver]\nregion = eu-west-1\n' >>/root/.cloud/config
install -d -o finops -g finops -m 700 /home/finops/.cloud
install -o finops -g finops -m 600 /dev/stdin /home/finops/.cloud/credentials <<'CREDS'
[default]
access_key_id = AKIA0ARC5L8M2Q7W4X1N
secret_access_key = Ar5Lm8Q2w7X4n1Zk9Vb3Cd6Fg0Hj2Kl4Mn8Pq1Rs
CREDS
install -o finops -g finops -m 600 /dev/stdin /home/finops/.cloud/config <<'CONF'
[default]
region = eu-west-1
CONF
systemctl enable --now fleet-inventory.timer
