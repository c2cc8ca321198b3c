#!/usr/bin/env bash
# build-module.sh KERNEL(6.1|6.12) — builds nfc_runtime.ko WITH module BTF against the kbuild
# tree prepare.sh made. Sources are copied to build/vm/k<KERNEL>/mod/ (kbuild writes next to them).
# Prints the .ko path on the last line. Fails if the .ko has no .BTF section.
set -euo pipefail
KVER="${1:?usage: build-module.sh 6.1|6.12}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
K="$REPO/build/vm/k$KVER"
[[ -f "$K/vm.env" ]] || { echo "build-module: run runtime-kmod/vm/prepare.sh first" >&2; exit 1; }
# shellcheck disable=SC1091
source "$K/vm.env"
MOD="$K/mod"
KO="$MOD/kmod/nfc_runtime.ko"
# up to date (and this script unchanged)? then skip kbuild's ~3 s no-op pass
if [[ -f "$KO" && -z "$(find "$REPO/runtime-kmod/kmod" "$REPO/runtime-kmod/include" "${BASH_SOURCE[0]}" "$K/vm.env" -newer "$KO" -print -quit)" ]]; then
  echo "$KO"; exit 0
fi
mkdir -p "$MOD/kmod" "$MOD/include"
# cp -u keeps mtimes of unchanged files so kbuild rebuilds only what changed
cp -u "$REPO"/runtime-kmod/kmod/* "$MOD/kmod/"
cp -u "$REPO"/runtime-kmod/include/* "$MOD/include/"
nice -n 10 make -s -C "$OBJTREE" M="$MOD/kmod" RESOLVE_BTFIDS="$RESOLVE_BTFIDS" -j2 modules >"$MOD/build.log" 2>&1 \
  || { cat "$MOD/build.log" >&2; exit 1; }
grep -E 'warning|error|Skipping BTF' "$MOD/build.log" >&2 || true
readelf -S "$KO" | grep -q '\.BTF ' || { echo "build-module: $KO has no .BTF section" >&2; exit 1; }
touch "$KO" # kbuild leaves an up-to-date .ko untouched; the skip test above needs it newer
echo "$KO"
