#!/usr/bin/env bash
set -euo pipefail
mkdir -p /etc/systemd/system/multi-user.target.wants
ln -sf /lib/systemd/system/ssh.service /etc/systemd/system/multi-user.target.wants/ssh.service
groupadd contractors
useradd --create-home --shell /bin/bash alice
useradd --create-home --shell /bin/bash --groups sudo ops
useradd --create-home --shell /bin/bash --comment "CI deploy" ci
useradd --create-home --shell /bin/bash --groups contractors --comment "Vinod Kumar (Acme Consulting)" vkumar
chpasswd --encrypted <<'HASHES'
alice:$6$HGgHH2m40cpmlPMr$Y9CneJ7MGbJQO.SvJuok3pm2gb1IEb3XqC3DyQ6NAlRmpGxmki5am7GZ/5a4ylR.qoIuIWBu7celeoY3HtbOR0
ops:$6$XQGhjqyVu84RB38T$8qIzfX..5XcZjf2G82x0cHiygLZbc5lEKnF9Sg3XNTqquF2t4Vrb.X7lVk6TFiTx4Wo9IV5mAI2pSZmTrczcc.
vkumar:$6$9u64XMvmCX70Zopl$j7vD77pblCL5i0lnnzMxygaXoUC7xJ3Q2kEBf/zymv7OIO0BIB1FqZZkaTp2IaI27kcZ/x3nxIfJMI9e95csU0
HASHES
install -d -m 700 /root/.ssh
ssh-keygen -q -t ed25519 -N '' -C ci-deploy -f /root/.ssh/ci_deploy
ssh-keygen -q -t ed25519 -N '' -C ops-admin -f /root/.ssh/ops_admin
install -d -m 700 -o ops -g ops /home/ops/.ssh
install -m 600 -o ops -g ops /root/.ssh/ops_admin.pub /home/ops/.ssh/authorized_keys
install -d -m 700 -o ci -g ci /home/ci/.ssh
install -m 600 -o ci -g ci /root/.ssh/ci_deploy.pub /home/ci/.ssh/authorized_keys
# The provider's image template.
printf 'PasswordAuthentication yes\n' >/etc/ssh/sshd_config.d/50-cloud-init.conf
# Last month's hardening, and what came before it.
sed -i -e 's/^#\?PasswordAuthentication .*/PasswordAuthentication no/' \
  -e 's/^#\?KbdInteractiveAuthentication .*/KbdInteractiveAuthentication yes/' \
  -e 's/^#\?PermitRootLogin .*/PermitRootLogin prohibit-password/' /etc/ssh/sshd_config
cat >>/etc/ssh/sshd_config <<'CONF'

# CI deploys: commands only
Match User ci
	PermitTTY no
	X11Forwarding no
	AllowAgentForwarding no

# Acme Consulting (migration project)
Match Group contractors
	PasswordAuthentication yes
	X11Forwarding no
	AllowTcpForwarding no
CONF
systemctl start ssh.service
