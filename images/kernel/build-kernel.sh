#!/usr/bin/env bash
# Builds OpsLab's own i386 kernel (bzImage) from Debian's linux-source-6.1 with images/kernel/opslab.config.
# Usage: build-kernel.sh WORK_DIR  -> prints the path of the bzImage (built in WORK_DIR/kbuild/out, incrementally:
# a changed fragment recompiles only what the changed options touch).
# Needs (host): linux-source-6.1 build-essential flex bison bc libelf-dev libssl-dev.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1
fragment="$here/opslab.config"
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -1)
[ -n "$tarball" ] || { echo "no /usr/src/linux-source-6.1.tar.*: apt-get install linux-source-6.1" >&2; exit 1; }
log() { printf '[kernel %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

kbuild="$work/kbuild"
src="$kbuild/linux-source-6.1"
# NOTE: the cache key covers the source package version and the fragment: change either and the kernel is rebuilt.
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.1)
key=$( (echo "$srcver"; cat "$fragment") | sha256sum | cut -c1-16)
out="$kbuild/out"
image="$out/arch/x86/boot/bzImage"
if [ "$(cat "$out/build.done" 2>/dev/null)" = "$key" ]; then echo "$image"; exit 0; fi

mkdir -p "$kbuild"
if [ ! -f "$kbuild/source-$srcver.done" ]; then
  log "unpacking $tarball"
  rm -rf "$src" "$out" "$kbuild"/source-*.done
  tar -xf "$tarball" -C "$kbuild"
  touch "$kbuild/source-$srcver.done"
fi

rm -f "$out/build.done"; mkdir -p "$out"
make -s -C "$src" O="$out" ARCH=i386 tinyconfig >/dev/null
KCONFIG_CONFIG="$out/.config" "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >/dev/null
make -s -C "$src" O="$out" ARCH=i386 olddefconfig >/dev/null

# Every line of the fragment must hold in the final config: a dependency left out silently drops an option.
missing=0
while IFS= read -r line; do
  case "$line" in CONFIG_*=*) ;; *) continue ;; esac
  name=${line%%=*} want=${line#*=}
  if [ "$want" = n ]; then
    grep -qE "^$name=" "$out/.config" && { echo "kernel config: $name is set, the fragment wants it off" >&2; missing=1; }
  else
    grep -qxF "$line" "$out/.config" || { echo "kernel config: $line did not stick (a dependency is off?)" >&2; missing=1; }
  fi
done <"$fragment"
[ "$missing" = 0 ] || { echo "fix images/kernel/opslab.config (see $out/.config)" >&2; exit 1; }

# OPSLAB_KERNEL_CONFIG_ONLY=1: stop after the checked .config (for editing the fragment).
[ "${OPSLAB_KERNEL_CONFIG_ONLY:-0}" = 1 ] && { echo "$out/.config"; exit 0; }

log "compiling (make -j$(nproc) ARCH=i386 bzImage, about 15 minutes on 2 cores)"
make -s -C "$src" O="$out" ARCH=i386 KBUILD_BUILD_USER=opslab KBUILD_BUILD_HOST=opslab \
  KBUILD_BUILD_TIMESTAMP="$srcver" -j"$(nproc)" bzImage >&2
echo "$key" >"$out/build.done"
echo "$image"
