#!/usr/bin/env bash
# This box is the office's gateway: its fibre line (wan0) came on Tuesday in place of the DSL line (ppp0).
# office-allowlist.timer keeps the bastion's SSH rule on the line's address, as the sg-allowlist account.
set -euo pipefail
chmod 755 /usr/local/sbin/office-allowlist
chmod 644 /etc/default/office-allowlist /etc/systemd/system/office-allowlist.service \
  /etc/systemd/system/office-allowlist.timer
ip link add wan0 type dummy
ip address add 203.0.113.77/24 dev wan0
ip link set wan0 up
cat >>/root/.cloud/credentials <<'CREDS'

[allowlist]
access_key_id = AKIA0SGA8W4L2N6T1Q9E
secret_access_key = Sg8Wl4Nt2Q6e1Rk9Ym3Xb7Vc5Zn0Pa4Sd8Fg2Hj6
CREDS
printf '\n[profile allowlist]\nregion = eu-west-1\n' >>/root/.cloud/config
cat >/var/log/office-allowlist.log <<'LOG'
2026-03-17T05:30:04Z allowed 192.0.2.44/32 (ppp0) on port 22 of bastion-ssh
2026-03-17T05:30:06Z revoked 192.0.2.131/32 from bastion-ssh
2026-03-17T05:30:06Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-11-30T23:45:03Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T00:00:03Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T00:15:02Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T00:30:03Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T00:45:02Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T01:00:03Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T01:15:02Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T01:30:04Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T01:45:02Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T02:00:03Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T02:15:02Z in step: bastion-ssh lets 192.0.2.44 in on port 22
2026-12-01T02:30:03Z in step: bastion-ssh lets 192.0.2.44 in on port 22
LOG
systemctl daemon-reload
systemctl enable --now office-allowlist.timer
systemctl start office-allowlist.service
