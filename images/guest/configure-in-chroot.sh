#!/bin/bash
# Runs inside the build VM in a chroot of the new root tree: settings that need the guest's own binaries.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
passwd -d root
# Services the tasks start themselves stay off; nothing that reaches a network at boot.
for unit in dnsmasq.service ssh.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
  e2scrub_reap.service fstrim.timer logrotate.timer man-db.timer systemd-timesyncd.service; do
  systemctl disable "$unit" 2>/dev/null || true
done
for unit in getty@tty1.service systemd-journal-flush.service systemd-remount-fs.service \
  systemd-update-utmp.service systemd-update-utmp-runlevel.service \
  systemd-random-seed.service systemd-hwdb-update.service systemd-udev-trigger.service \
  systemd-udev-settle.service systemd-networkd-wait-online.service systemd-pstore.service \
  systemd-binfmt.service systemd-firstboot.service systemd-machine-id-commit.service \
  sys-kernel-debug.mount sys-kernel-tracing.mount sys-fs-fuse-connections.mount \
  dev-hugepages.mount dev-mqueue.mount; do
  systemctl mask "$unit" 2>/dev/null || true
done
systemctl set-default multi-user.target
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/log/*.log /var/log/apt
