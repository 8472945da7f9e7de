#!/usr/bin/env bash
# Adds the Debian kernel's modules that the tasks need to an assembled root tree (the image-debian.json tree).
# Usage: add-modules.sh ROOT KERNEL_DIR KERNEL_VERSION
# Needs: kmod (depmod); run as root to keep owners.
set -euo pipefail
root=$1 kernel=$2 kver=$3
# NOTE: the modules get the time of the package installation, as in assemble.sh, so the index is reproducible.
epoch=$(stat -c %Y "$root/var/lib/dpkg/status")
marker=$(mktemp); touch -d "@$((epoch + 1))" "$marker"

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
  echo kernel/crypto/crc32c_generic.ko
  # The guest agent MACs its frames through AF_ALG's hmac(sha256) sockets (it loads algif_hash itself).
  echo kernel/crypto/algif_hash.ko) | sort -u)
closure=$( (for m in $wanted; do echo "$m"; awk -F': *' -v p="$m" '$1==p {print $2}' "$src/modules.dep" | tr ' ' '\n'; done) | grep . | sort -u)
for m in $closure; do mkdir -p "$dst/$(dirname "$m")"; cp "$src/$m" "$dst/$m"; done
cp "$src/modules.order" "$src/modules.builtin" "$src/modules.builtin.modinfo" "$dst/"
depmod -b "$root" "$kver"
echo "kernel modules: $(echo "$closure" | wc -l)"

find "$root" -newer "$marker" -exec touch -h -d "@$epoch" {} +
rm -f "$marker"
