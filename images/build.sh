#!/usr/bin/env bash
# Builds the OpsLab VM images from Debian bookworm i386 packages and writes them to public/vm/:
# image.json (our own kernel, images/kernel/, no initramfs, no modules) and image-debian.json (Debian's 686
# kernel, its initramfs and the modules the tasks need), sharing the blobs of identical files.
# Needs (Debian host, root): debootstrap qemu-system-x86 seabios e2fsprogs cpio zstd kmod, dpkg with i386 added, node,
# and for our kernel linux-source-6.1 build-essential flex bison bc libelf-dev libssl-dev.
# OPSLAB_KERNEL="opslab debian" (the default) names the images to publish; the other one's manifest stays.
# Stages (each skipped when its output exists; OPSLAB_REBUILD=1 starts over):
#   1. debs: the 686 kernel and busybox-static from apt   2. debootstrap first stage on the host
#   3. second stage + configure inside qemu-system-i386, tree written out as a tar
#   4. our kernel (images/kernel/build-kernel.sh, cached by its config)
#   5. assemble: overlay images/guest, trim; the Debian tree also gets its kernel modules
#   6. convert to v86's 9p format
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=${OPSLAB_IMAGE_WORK:-/var/tmp/opslab-image}
suite=bookworm
[ "${OPSLAB_REBUILD:-0}" = 1 ] && rm -rf "$work"
mkdir -p "$work"
log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# The Debian mirror this machine's apt already uses (override with DEBIAN_MIRROR).
mirror=${DEBIAN_MIRROR:-$(grep -hoE '^URIs: *[^ ]+' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')}
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb +[^ ]+' /etc/apt/sources.list | head -1 | awk '{print $2}')
[ -n "$mirror" ] || { echo "no Debian mirror found: set DEBIAN_MIRROR" >&2; exit 1; }

# 1. Kernel and busybox.
kpkg=$(apt-cache depends linux-image-686:i386 | awk '/Depends: linux-image-/{print $2}' | head -1 | sed 's/:i386//')
kver=${kpkg#linux-image-}
if [ ! -f "$work/debs.done" ]; then
  log "downloading $kpkg and busybox-static (i386)"
  rm -rf "$work/debs" "$work/kernel" "$work/busybox"; mkdir -p "$work/debs"
  (cd "$work/debs" && apt-get download "$kpkg:i386" busybox-static:i386 2>/dev/null)
  dpkg-deb -x "$work"/debs/linux-image-*.deb "$work/kernel"
  dpkg-deb -x "$work"/debs/busybox-static_*.deb "$work/busybox"
  depmod -b "$work/kernel" "$kver"
  touch "$work/debs.done"
fi
kmods="$work/kernel/lib/modules/$kver"

# 2. debootstrap, first stage.
if [ ! -f "$work/stage1.done" ]; then
  log "debootstrap first stage from $mirror"
  rm -rf "$work/stage1"
  include=$(grep -vE '^\s*(#|$)' "$here/packages.txt" | paste -sd, -)
  debootstrap --foreign --arch=i386 --variant=minbase --include="$include" "$suite" "$work/stage1" "$mirror"
  touch "$work/stage1.done"
fi
[ "${OPSLAB_STOP_AFTER:-}" = debootstrap ] && exit 0

# Writes an initramfs with busybox, an init script and the named modules (with their dependencies, in order).
make_initramfs() { # out init module...
  local out=$1 init=$2; shift 2
  local dir; dir=$(mktemp -d)
  mkdir -p "$dir/bin" "$dir/modules" "$dir/proc" "$dir/sys" "$dir/dev"
  cp "$work/busybox/bin/busybox" "$dir/bin/busybox"
  for a in sh mount umount insmod sleep cat echo chroot tar poweroff mkdir switch_root sync tail; do ln -s busybox "$dir/bin/$a"; done
  cp "$init" "$dir/init"; chmod +x "$dir/init"
  : > "$dir/modules.order"
  local want=() m
  for m in "$@"; do
    local path; path=$(awk -F: -v m="/$m.ko:" 'index($1 ":", m) {print $1; exit}' "$kmods/modules.dep")
    [ -n "$path" ] || { echo "module $m not in $kver" >&2; exit 1; }
    # modules.dep lists a module's dependencies with the deepest last.
    local deps; deps=$(awk -F': *' -v p="$path" '$1==p {print $2}' "$kmods/modules.dep")
    for d in $(echo "$deps" | tr ' ' '\n' | tac) "$path"; do
      [ -n "$d" ] || continue
      printf '%s\n' "${want[@]}" | grep -qxF "$d" || want+=("$d")
    done
  done
  for m in "${want[@]}"; do cp "$kmods/$m" "$dir/modules/"; basename "$m" >> "$dir/modules.order"; done
  find "$dir" -exec touch -h -d @0 {} +
  (cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible | gzip -9n) > "$out"
  rm -rf "$dir"
}

# 3. Second stage inside qemu.
if [ ! -f "$work/stage2.done" ]; then
  log "second stage in qemu-system-i386 (software emulation: several minutes)"
  make_initramfs "$work/initrd-build.gz" "$here/initramfs/init-build" \
    virtio_pci virtio_blk crc32c_generic ext4
  cp "$here/guest/configure-in-chroot.sh" "$work/stage1/opslab-configure.sh"
  rm -f "$work/out.tar.img"
  # A root.ext4 left by a failed run resumes where it stopped (the second stage is not repeated).
  [ -f "$work/root.ext4" ] || mke2fs -q -t ext4 -d "$work/stage1" "$work/root.ext4" 6G
  truncate -s 3G "$work/out.tar.img"
  accel="tcg,thread=multi"; cpu=max
  [ "${OPSLAB_KVM:-0}" = 1 ] && { accel=kvm; cpu=host; }  # KVM inside a nested VM can fail on MSRs
  qemu-system-i386 -m 2048 -smp 2 -accel "$accel" -cpu "$cpu" -nographic -no-reboot \
    -kernel "$work/kernel/boot/vmlinuz-$kver" -initrd "$work/initrd-build.gz" \
    -append "console=ttyS0 panic=-1 loglevel=4 mitigations=off" \
    -drive file="$work/root.ext4",format=raw,if=virtio \
    -drive file="$work/out.tar.img",format=raw,if=virtio </dev/null | tee "$work/qemu.log" | grep --line-buffered -E "^(I: |W: |E: |OPSLAB)" || true
  grep -q OPSLAB-BUILD-OK "$work/qemu.log" || { echo "second stage failed: see $work/qemu.log" >&2; exit 1; }
  rm -f "$work/root.ext4"
  touch "$work/stage2.done"
fi
[ "${OPSLAB_STOP_AFTER:-}" = qemu ] && exit 0

kernels=${OPSLAB_KERNEL:-opslab debian}
publish() { node "$repo/node_modules/tsx/dist/cli.mjs" "$repo/images/publish.ts" \
  --bios /usr/share/seabios/bios.bin --out "$repo/public/vm" "$@"; }

# 4. Our kernel.
if [[ " $kernels " == *" opslab "* ]]; then
  log "our kernel (images/kernel/opslab.config)"
  bzimage=$("$here/kernel/build-kernel.sh" "$work")
  opslab_kver=$(cat "$(dirname "$bzimage")/../../../include/config/kernel.release")
fi

# 5. Assemble the final trees.
log "assembling the root tree"
root="$work/rootfs"
rm -rf "$root"; mkdir -p "$root"
tar -xf "$work/out.tar.img" -C "$root" --numeric-owner
"$here/assemble.sh" "$root"
(cd "$root" && tar --numeric-owner --sort=name -cf "$work/rootfs.tar" .)
if [[ " $kernels " == *" debian "* ]]; then
  "$here/add-modules.sh" "$root" "$work/kernel" "$kver"
  (cd "$root" && tar --numeric-owner --sort=name -cf "$work/rootfs-debian.tar" .)
fi

# 6. Convert to v86's 9p index and blobs; kernel, initramfs and BIOS beside them.
if [[ " $kernels " == *" opslab "* ]]; then
  log "publishing image.json (kernel $opslab_kver)"
  # NOTE: the kernel mounts the 9p root itself, with the flags images/initramfs/init uses. Built in, bonding,
  # dummy and ifb would make bond0, dummy0 and ifb0-1 at boot (Debian's modules load only when asked).
  kargs="root=host9p rootfstype=9p rootflags=trans=virtio,version=9p2000.L,cache=loose,msize=512000"
  kargs+=" bonding.max_bonds=0 dummy.numdummies=0 ifb.numifbs=0"
  publish --rootfs "$work/rootfs.tar" --kernel "$bzimage" --kernel-version "$opslab_kver" \
    --kernel-args "$kargs" --manifest image.json
fi
if [[ " $kernels " == *" debian "* ]]; then
  log "publishing image-debian.json (kernel $kver)"
  make_initramfs "$work/initrd.gz" "$here/initramfs/init" 9p 9pnet_virtio virtio_pci
  publish --rootfs "$work/rootfs-debian.tar" --kernel "$work/kernel/boot/vmlinuz-$kver" \
    --initrd "$work/initrd.gz" --kernel-version "$kver" --manifest image-debian.json
fi
log "done"
