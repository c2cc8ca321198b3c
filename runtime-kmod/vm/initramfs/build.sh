#!/usr/bin/env bash
# build.sh KERNEL(6.1|6.12) — assembles build/vm/k<KERNEL>/initramfs.cpio (uncompressed newc:
# nothing to decompress under TCG): busybox-static, /init, nfc_runtime.ko, the static loader,
# the selftest objects compiled with clang-19 against that guest's vmlinux.h, tests.txt, and
# the bench objects + bench.txt (runtime-kmod/bench, for vm/icount.sh).
# Prints the cpio path on the last line.
set -euo pipefail
KVER="${1:?usage: build.sh 6.1|6.12}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
VM="$REPO/build/vm"
K="$VM/k$KVER"
[[ -f "$K/vm.env" ]] || { echo "initramfs: run runtime-kmod/vm/prepare.sh first" >&2; exit 1; }
# shellcheck disable=SC1091
source "$K/vm.env"

# one build per kernel at a time (vm.test.ts and examples.test.ts may boot concurrently)
exec 9>"$K/.build.lock"
flock 9
KO="$("$REPO/runtime-kmod/vm/build-module.sh" "$KVER" | tail -1)"

LOADER="$VM/nfc-loader"
LSRC="$REPO/runtime-kmod/vm/loader/nfc-loader.c"
if [[ ! -x "$LOADER" || "$LSRC" -nt "$LOADER" ]]; then
  nice -n 10 gcc -static -O2 -Wall -o "$LOADER.tmp" "$LSRC" -lbpf -lelf -lz
  mv "$LOADER.tmp" "$LOADER"
fi

# NFC_VM_EXTRA=DIR (test/vm/examples.test.ts): DIR's files go to /tests and DIR/extra.txt
# replaces the manifest (compiled nfc examples + packets); separate root/cpio, so it never
# clobbers the selftest image.
ROOT="$K/initramfs.root" CPIO_OUT="$K/initramfs.cpio"
[[ -n "${NFC_VM_EXTRA:-}" ]] && { ROOT="$K/initramfs-extra.root"; CPIO_OUT="$K/initramfs-extra.cpio"; }
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,lib/modules,tests}
readelf -l /bin/busybox | grep -q INTERP && { echo "initramfs: /bin/busybox is dynamic: install busybox-static" >&2; exit 1; }
cp /bin/busybox "$ROOT/bin/busybox"
cp "$LOADER" "$ROOT/bin/nfc-loader"
cp "$HERE/init" "$ROOT/init"
chmod 755 "$ROOT/init"
cp "$KO" "$ROOT/lib/modules/nfc_runtime.ko"
cp "$HERE/tests.txt" "$ROOT/tests/"
mknod -m 600 "$ROOT/dev/console" c 5 1
mknod -m 666 "$ROOT/dev/null" c 1 3

# selftest objects are cached in $K/bpf/ and rebuilt when their inputs are newer
mkdir -p "$K/bpf"
KDEF=(); [[ "$KVER" == 6.1 ]] && KDEF=(-DNFC_RT_KPTR_REF_TAG)
for src in "$REPO"/runtime-kmod/selftests/*.bpf.c; do
  obj="$K/bpf/$(basename "$src" .c).o"
  if [[ ! -f "$obj" || -n "$(find "$src" "$REPO/runtime-kmod/selftests" "$REPO/runtime-kmod/include" "$K/vmlinux.h" -newer "$obj" -print -quit)" ]]; then
    nice -n 10 clang-19 -O2 -g -target bpf -D__TARGET_ARCH_x86 "${KDEF[@]}" -I"$K" -I"$REPO/runtime-kmod/include" \
      -Wall -Werror -c "$src" -o "$obj.tmp"
    mv "$obj.tmp" "$obj"
  fi
  cp "$obj" "$ROOT/tests/"
done

# bench objects (vm/icount.sh): uapi headers + the stdlib, so the pure side is stdlib's own code
MULTIARCH="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
for src in "$REPO"/runtime-kmod/bench/*.bpf.c; do
  obj="$K/bpf/$(basename "$src" .c).o"
  if [[ ! -f "$obj" || -n "$(find "$src" "$REPO/runtime-kmod/include" "$REPO/stdlib/include" -newer "$obj" -print -quit)" ]]; then
    nice -n 10 clang-19 -O2 -g -target bpf -D__TARGET_ARCH_x86 "${KDEF[@]}" -I"/usr/include/$MULTIARCH" \
      -I"$REPO/stdlib/include" -I"$REPO/runtime-kmod/include" -Wall -Werror -c "$src" -o "$obj.tmp"
    mv "$obj.tmp" "$obj"
  fi
  cp "$obj" "$ROOT/tests/"
done
cp "$HERE/bench.txt" "$ROOT/tests/"
if [[ -n "${NFC_VM_EXTRA:-}" ]]; then
  cp "$NFC_VM_EXTRA"/* "$ROOT/tests/"
  cp "$NFC_VM_EXTRA/extra.txt" "$ROOT/tests/tests.txt"
fi

(cd "$ROOT" && find . -print0 | cpio --null -o -H newc --quiet >"$CPIO_OUT.tmp")
mv "$CPIO_OUT.tmp" "$CPIO_OUT"
echo "$CPIO_OUT"
