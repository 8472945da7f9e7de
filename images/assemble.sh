#!/usr/bin/env bash
# Finishes the root tree on the host: OpsLab's guest files and trimming (kernel modules: add-modules.sh).
# Usage: assemble.sh ROOT
# Needs: gcc-multilib (the guest agent, the i386 ICU data stub); run as root to keep owners.
set -euo pipefail
root=$1
here=$(cd "$(dirname "$0")" && pwd)
# NOTE: what this script adds or changes gets the time of the package installation, so the same
# inputs give the same index and blobs however often (and from whichever checkout) it runs.
epoch=$(stat -c %Y "$root/var/lib/dpkg/status")
marker=$(mktemp); touch -d "@$((epoch + 1))" "$marker"

# OpsLab's own files, owned by root, with the installation's time whatever the checkout's file times are.
tar -C "$here/guest/rootfs" --owner=0 --group=0 --mtime="@$epoch" -cf - . | tar -C "$root" -xf - --no-same-owner --keep-directory-symlink

# The guest agent (images/guest/agent/): a small C program, the host's command channel on ttyS1; and the
# `cloud` command line, which talks to the host through it.
"$here/guest/agent/build.sh" "$root"

# Units that only load kernel modules: our kernel has none, and the tasks never need them preloaded with
# Debian's (it loads networking modules on demand). Each took seconds of a cold boot.
for unit in modprobe@dm_mod modprobe@loop modprobe@drm modprobe@configfs modprobe@fuse modprobe@efi_pstore \
  systemd-modules-load; do
  ln -sfn /dev/null "$root/etc/systemd/system/$unit.service"
done

# A lean boot: every unit and generator costs a process start on one emulated CPU, seconds at a cold boot.
# Generators find nothing here: the root is 9p and fstab is empty (mount -a still reads it), no encrypted or
# GPT disks, no SysV-only scripts, no getty (opslab-console owns ttyS0).
mkdir -p "$root/etc/systemd/system-generators"
for gen in cryptsetup debug fstab getty gpt-auto hibernate-resume integritysetup rc-local run system-update \
  sysv veritysetup; do
  ln -sfn /dev/null "$root/etc/systemd/system-generators/systemd-$gen-generator"
done
# Never useful here: users come from the packages (sysusers), /dev is devtmpfs (static nodes), no TPM, no
# repartitioning, no password agents. Logins are allowed from the start (no /run/nologin while booting).
for unit in systemd-sysusers.service systemd-tmpfiles-setup-dev.service kmod-static-nodes.service \
  systemd-pcrphase-sysinit.service systemd-pcrphase.service systemd-repart.service \
  systemd-ask-password-console.path systemd-ask-password-wall.path proc-sys-fs-binfmt_misc.automount \
  sys-kernel-config.mount getty-static.service systemd-user-sessions.service; do
  ln -sfn /dev/null "$root/etc/systemd/system/$unit"
done
rm -f "$root/usr/lib/tmpfiles.d/systemd-nologin.conf"
# udevd, logind and D-Bus start on demand (udev's netlink socket, D-Bus activation), not at every boot.
rm -f "$root/usr/lib/systemd/system/sysinit.target.wants/systemd-udevd.service" \
  "$root/usr/lib/systemd/system/multi-user.target.wants/"{dbus.service,systemd-logind.service,getty.target}

# ICU's 30 MB data library, pulled in only by dig through libxml2, becomes an empty data package.
icudata=$(cd "$root/usr/lib/i386-linux-gnu" && ls libicudata.so.*.* 2>/dev/null | head -1)
if [ -n "$icudata" ]; then
  gcc -m32 -shared -fPIC -nostdlib -Os -s -Wl,-soname,"${icudata%.*}" \
    -o "$root/usr/lib/i386-linux-gnu/$icudata" "$here/guest/icu-stub/icudata-stub.c"
fi

# Python's test suite, IDE, Tk and packaging bootstrap: never used in the VM.
rm -rf "$root"/usr/lib/python3.*/{test,idlelib,tkinter,turtledemo,ensurepip,lib2to3,pydoc_data,config-3.*}

# Debian's sitecustomize only installs apport's hook, and apport is not in the image: without it, every
# python3 start skips a failed search of sys.path (about 60 ms of a warm 480 ms `python3 -c 1`).
rm -f "$root"/etc/python3.*/sitecustomize.py "$root"/usr/lib/python3.*/sitecustomize.py \
  "$root"/usr/lib/python3.*/__pycache__/sitecustomize.*.pyc

# Trim what no task touches.
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian \
  "$root"/usr/share/locale/* "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old \
  "$root"/etc/udev/hwdb.bin "$root"/usr/lib/udev/hwdb.bin "$root"/usr/lib/udev/hwdb.d "$root"/boot/* \
  "$root"/var/log/journal "$root"/debootstrap
: > "$root/etc/machine-id"
find "$root" -newer "$marker" -exec touch -h -d "@$epoch" {} +
rm -f "$marker"
