#!/usr/bin/env bash
set -euo pipefail
mkdir -p /etc/systemd/system/multi-user.target.wants
ln -sf /lib/systemd/system/ssh.service /etc/systemd/system/multi-user.target.wants/ssh.service
systemctl start ssh.service
install -d -m 700 /root/.ssh
for user in carol dave; do
  useradd --create-home --shell /bin/bash "$user"
  ssh-keygen -q -t ed25519 -N '' -C "$user-robot" -f "/root/.ssh/${user}_robot"
done
install -d -m 700 -o dave -g dave /home/dave/.ssh
install -m 600 -o dave -g dave /root/.ssh/dave_robot.pub /home/dave/.ssh/authorized_keys
# dave's team shares files through the users group.
usermod -aG users dave
# carol's home came over from the old file server, copied as root, with the old server's shared group.
install -d -m 700 /home/carol/.ssh
install -m 600 /root/.ssh/carol_robot.pub /home/carol/.ssh/authorized_keys
printf 'carol: weekly report drafts\n' > /home/carol/reports.txt
chown carol:carol /home/carol/reports.txt
chgrp users /home/carol
chmod 775 /home/carol
