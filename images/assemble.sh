#!/usr/bin/env bash
# Finishes the root tree on the host: OpsLab's guest files, the kernel modules the tasks need, and trimming.
# Usage: assemble.sh ROOT KERNEL_DIR KERNEL_VERSION
# Needs: kmod (depmod), gcc-multilib (the i386 ICU data stub); run as root to keep owners.
set -euo pipefail
root=$1 kernel=$2 kver=$3
here=$(cd "$(dirname "$0")" && pwd)
# NOTE: what this script adds or changes gets the time of the package installation, so the same
# inputs give the same index and blobs however often (and from whichever checkout) it runs.
epoch=$(stat -c %Y "$root/var/lib/dpkg/status")
marker=$(mktemp); touch -d "@$((epoch + 1))" "$marker"

# OpsLab's own files, owned by root.
tar -C "$here/guest/rootfs" --owner=0 --group=0 -cf - . | tar -C "$root" -xf - --no-same-owner --keep-directory-symlink

# Kernel modules: networking (netfilter, bridge, 8021q, qdiscs, ...) and virtual links, with their dependencies.
src="$kernel/lib/modules/$kver"
dst="$root/usr/lib/modules/$kver"
rm -rf "$dst"; mkdir -p "$dst"
wanted=$( (cd "$src" && find kernel/net -name '*.ko' -not -path '*/netfilter/ipvs/*' -not -path '*/mpls/*' \
  -not -path '*/openvswitch/*' -not -path '*/l2tp/*' -not -path '*/netrom/*' -not -path '*/rose/*' -not -path '*/ax25/*' \
  -not -path '*/smc/*' -not -path '*/qrtr/*' -not -path '*/x25/*' -not -path '*/lapb/*' -not -path '*/phonet/*' \
  -not -path '*/llc/*' -not -path '*/appletalk/*' -not -path '*/kcm/*' -not -path '*/vmw_vsock/*' -not -path '*/dsa/*' \
  -not -path '*/psample/*' -not -path '*/hsr/*' -not -path '*/mptcp/*' -not -path '*/nsh/*' -not -path '*/caif/*' \
  -not -path '*/wireless/*' -not -path '*/mac80211/*' -not -path '*/bluetooth/*' -not -path '*/nfc/*' \
  -not -path '*/ieee802154/*' -not -path '*/mac802154/*' -not -path '*/can/*' -not -path '*/sunrpc/*' \
  -not -path '*/ceph/*' -not -path '*/rds/*' -not -path '*/sctp/*' -not -path '*/tipc/*' -not -path '*/rxrpc/*' \
  -not -path '*/atm/*' -not -path '*/9p/*' -not -path '*/batman-adv/*' -not -path '*/6lowpan/*' -not -path '*/nfc/*';
  for m in veth dummy macvlan ipvlan tun vxlan bonding ifb vrf geneve wireguard; do find kernel/drivers/net -name "$m.ko"; done
  # libcrc32c (nf_tables, nf_conntrack, openvswitch) asks the crypto API for crc32c when it loads.
  echo kernel/crypto/crc32c_generic.ko) | sort -u)
closure=$( (for m in $wanted; do echo "$m"; awk -F': *' -v p="$m" '$1==p {print $2}' "$src/modules.dep" | tr ' ' '\n'; done) | grep . | sort -u)
for m in $closure; do mkdir -p "$dst/$(dirname "$m")"; cp "$src/$m" "$dst/$m"; done
cp "$src/modules.order" "$src/modules.builtin" "$src/modules.builtin.modinfo" "$dst/"
depmod -b "$root" "$kver"
echo "kernel modules: $(echo "$closure" | wc -l)"

# ICU's 30 MB data library, pulled in only by dig through libxml2, becomes an empty data package.
icudata=$(cd "$root/usr/lib/i386-linux-gnu" && ls libicudata.so.*.* 2>/dev/null | head -1)
if [ -n "$icudata" ]; then
  gcc -m32 -shared -fPIC -nostdlib -Os -s -Wl,-soname,"${icudata%.*}" \
    -o "$root/usr/lib/i386-linux-gnu/$icudata" "$here/guest/icu-stub/icudata-stub.c"
fi

# Python's test suite, IDE, Tk and packaging bootstrap: never used in the VM.
rm -rf "$root"/usr/lib/python3.*/{test,idlelib,tkinter,turtledemo,ensurepip,lib2to3,pydoc_data,config-3.*}

# Trim what no task touches.
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian \
  "$root"/usr/share/locale/* "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old \
  "$root"/etc/udev/hwdb.bin "$root"/usr/lib/udev/hwdb.bin "$root"/usr/lib/udev/hwdb.d "$root"/boot/* \
  "$root"/var/log/journal "$root"/debootstrap
: > "$root/etc/machine-id"
find "$root" -newer "$marker" -exec touch -h -d "@$epoch" {} +
rm -f "$marker"
