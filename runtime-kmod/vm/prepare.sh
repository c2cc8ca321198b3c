#!/usr/bin/env bash
# prepare.sh — idempotent setup of the runtime-kmod VM tier (called by setup.sh; safe to re-run).
#
# Installs the host Debian packages the tier needs, then fetches (WITHOUT installing into the
# system) one Debian 6.1 and one bookworm-backports 6.12 amd64 kernel into build/vm/, and makes
# each one's kbuild tree able to build out-of-tree modules WITH module BTF:
#   build/vm/k<ver>/root/      dpkg-deb -x of linux-image, linux-headers(-common), linux-kbuild
#   build/vm/k<ver>/objtree -> root/usr/src/linux-headers-<rel>   (make -C target)
#   build/vm/k<ver>/vmlinux    decompressed ELF (PVH boot + BTF base + vmlinux.h source)
#   build/vm/k<ver>/vmlinux.h  bpftool btf dump of that ELF
#   build/vm/k<ver>/resolve_btfids  (6.1: built from linux-source-6.1 tools; 6.12: kbuild's own)
#   build/vm/bin/{extract-vmlinux,resolve_btfids-6.1}  (from linux-source-6.1, built once)
#   build/vm/k<ver>/vm.env     shell vars for build/run scripts (RELEASE, OBJTREE, ...)
# A step whose stamp exists is skipped: the second run takes well under a second.
#
# Env: NFC_VM_K61_ABI (default 6.1.0-57), NFC_VM_K612_REL (default 6.12.95+deb12),
#      NFC_VM_NO_APT=1 (never call apt-get install; fail if something is missing).
# Pins are preferences: when the archive has moved on, resolve-kernels.sh takes the newest coherent
# set (image, headers, kbuild, source of one version) and prepare says which it took and why.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VM="$REPO/build/vm"
DEBS="$VM/debs"
K61_ABI="${NFC_VM_K61_ABI:-6.1.0-57}"
K612_REL="${NFC_VM_K612_REL:-6.12.95+deb12}"
NICE="nice -n 10"
mkdir -p "$VM" "$DEBS"

T_ALL=$(date +%s.%N)
step_start() { STEP="$1"; T0=$(date +%s.%N); }
step_end() { printf '[prepare] %-34s %6.2fs\n' "$STEP" "$(echo "$(date +%s.%N) - $T0" | bc)"; }
die() { echo "[prepare] error: $*" >&2; exit 1; }

# ---------------------------------------------------------------- 1. host packages
step_start "host packages"
HOST_PKGS=(qemu-system-x86 busybox-static cpio build-essential bc flex bison libelf-dev
  zlib1g-dev libbpf-dev dwarves xz-utils zstd python3 bpftool clang-19)
missing=()
# dpkg-query exits 1 when any name is unknown to dpkg (never installed): not an error here
installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${HOST_PKGS[@]}" 2>/dev/null | awk '/install ok installed/{print $1}' || true)"
for p in "${HOST_PKGS[@]}"; do grep -qx "$p" <<<"$installed" || missing+=("$p"); done
if ((${#missing[@]})); then
  [[ "${NFC_VM_NO_APT:-0}" == 1 ]] && die "missing Debian packages: ${missing[*]}"
  echo "[prepare] installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
step_end

# ---------------------------------------------------------------- 2. isolated apt state for bookworm-backports
# The system's sources stay as they are: every backports query goes through these -o options.
BPO="$VM/apt-bpo"
BPO_OPTS=(-o "Dir::Etc::SourceList=$BPO/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$BPO/lists" -o "Dir::Cache=$BPO/cache")
# ---------------------------------------------------------------- 3. resolve and download
bpo_update() {
  [[ -f "$BPO/.updated" ]] && return 0
  mkdir -p "$BPO/lists/partial" "$BPO/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main" >"$BPO/sources.list"
  apt-get "${BPO_OPTS[@]}" update -qq
  touch "$BPO/.updated"
}
step_start "resolve kernels"
# A coherent set (image, headers, kbuild, source of ONE version) from the cache or today's archive:
# the pinned release when it is still coherent, else the newest coherent one (resolve-kernels.sh).
resolve() { NFC_APT_BPO_OPTS="$(printf '%s\n' "${BPO_OPTS[@]}")" bash "$REPO/runtime-kmod/vm/resolve-kernels.sh" "$K61_ABI" "$K612_REL" "$DEBS"; }
if ! sets="$(NFC_RESOLVE_CACHE_ONLY=1 resolve 2>/dev/null)"; then
  # not all cached: ask today's archive (package lists refreshed first)
  apt-get update -qq; rm -f "$BPO/.updated"; bpo_update
  sets="$(resolve)" || die "no coherent kernel set in the archive (see above)"
fi
eval "$sets"
echo "[prepare] 6.1:  linux-image-$K61_ABI-amd64 $K61_VER ($K61_WHY)"
echo "[prepare] 6.12: linux-image-$K612_REL-amd64 $K612_VER ($K612_WHY)"
step_end

step_start "downloads"
deb_of() { compgen -G "$DEBS/${1}_${2//:/%3a}_*.deb" | head -1; } # deb_of PKG VER -> cached file
K61_PKGS=("linux-image-$K61_ABI-amd64" "linux-headers-$K61_ABI-amd64" "linux-headers-$K61_ABI-common" linux-kbuild-6.1 linux-source-6.1)
K612_PKGS=("linux-image-$K612_REL-amd64" "linux-headers-$K612_REL-amd64" "linux-headers-$K612_REL-common" "linux-kbuild-$K612_REL")
fetch() { # fetch [bpo] VER PKG... -> each PKG at VER into $DEBS, unless cached
  local opts=()
  if [[ "$1" == bpo ]]; then opts=("${BPO_OPTS[@]}"); shift; fi
  local ver="$1"; shift
  local need=() p
  for p in "$@"; do [[ -n "$(deb_of "$p" "$ver")" ]] || need+=("$p=$ver"); done
  ((${#need[@]})) || return 0
  (cd "$DEBS" && apt-get "${opts[@]}" download "${need[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  for p in "$@"; do [[ -n "$(deb_of "$p" "$ver")" ]] || die "download failed: $p=$ver"; done
}
fetch "$K61_VER" "${K61_PKGS[@]}"
fetch bpo "$K612_VER" "${K612_PKGS[@]}"
step_end

# ---------------------------------------------------------------- 4. per-kernel trees
extract_debs() { # extract_debs DIR VER PKG...
  local dir="$1" ver="$2"; shift 2
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
  for p in "$@"; do
    local f; f="$(deb_of "$p" "$ver")"
    if [[ "$p" == linux-image-* ]]; then
      # only /boot: the ~400 MB of modules under /lib/modules are never loaded by the tests
      dpkg-deb --fsys-tarfile "$f" | tar -x -C "$dir.tmp" ./boot
    else
      dpkg-deb -x "$f" "$dir.tmp"
    fi
  done
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
}

# Repoint the objtree Makefile's absolute `include /usr/src/...-common/Makefile` into our root.
repoint_makefile() { # repoint_makefile ROOT OBJTREE
  sed -i -E "s#^include /usr/src/#include $1/usr/src/#" "$2/Makefile"
  sed -i -E "s#(MAKEARGS := -C )/usr/src/#\\1$1/usr/src/#; s#^(KBUILD_OUTPUT|O) *:?= */usr/src/#\\1 := $1/usr/src/#" "$2/Makefile"
}

extract_vmlinux() { # extract_vmlinux OBJTREE VMLINUZ OUT
  $NICE "$VM/bin/extract-vmlinux" "$2" >"$3.tmp"
  file -b "$3.tmp" 2>/dev/null | grep -q ELF || head -c4 "$3.tmp" | grep -q ELF || die "extract-vmlinux produced no ELF from $2"
  mv "$3.tmp" "$3"
}

prepare_kernel() { # prepare_kernel KVER RELEASE VER PKG...
  local kver="$1" rel="$2" ver="$3"; shift 3
  local K="$VM/k$kver"
  mkdir -p "$K"
  if [[ "$(cat "$K/.extracted" 2>/dev/null)" != "$rel" ]]; then
    step_start "k$kver: extract debs"
    rm -rf "$K"; mkdir -p "$K" # another release (or a half-made tree): start over
    extract_debs "$K/root" "$ver" "$@"
    ln -sfn "root/usr/src/linux-headers-$rel" "$K/objtree"
    repoint_makefile "$K/root" "$K/root/usr/src/linux-headers-$rel"
    echo "$rel" >"$K/.extracted"; step_end
  fi
}

prepare_kernel 6.1 "$K61_ABI-amd64" "$K61_VER" "${K61_PKGS[@]:0:4}"
prepare_kernel 6.12 "$K612_REL-amd64" "$K612_VER" "${K612_PKGS[@]}"

# ---------------------------------------------------------------- 5. 6.1: resolve_btfids from linux-source-6.1
SRC="$VM/src-6.1"
# Neither kbuild package ships scripts/extract-vmlinux; it is taken from the same tarball.
if [[ ! -x "$VM/bin/resolve_btfids-6.1" || ! -x "$VM/bin/extract-vmlinux" ]]; then
  step_start "k6.1: unpack linux-source tools"
  if [[ ! -f "$SRC/.unpacked" ]]; then
    rm -rf "$SRC" "$SRC.deb"; mkdir -p "$SRC.deb" "$SRC"
    dpkg-deb -x "$(deb_of linux-source-6.1 "$K61_VER")" "$SRC.deb"
    tarball="$(compgen -G "$SRC.deb/usr/src/linux-source-6.1.tar.*" | head -1)"
    # tools/ plus the few kernel-tree files the tools build reads
    $NICE tar -xf "$tarball" -C "$SRC" --strip-components=1 --wildcards \
      'linux-source-6.1/tools/*' 'linux-source-6.1/scripts/*' 'linux-source-6.1/include/uapi/*' \
      'linux-source-6.1/include/linux/*' 'linux-source-6.1/arch/x86/include/*' 'linux-source-6.1/Makefile'
    rm -rf "$SRC.deb"; touch "$SRC/.unpacked"
  fi
  step_end
  step_start "k6.1: build resolve_btfids"
  $NICE make -s -C "$SRC/tools/bpf/resolve_btfids" -j2 >"$VM/resolve_btfids-build.log" 2>&1 \
    || { tail -30 "$VM/resolve_btfids-build.log"; die "resolve_btfids build failed"; }
  mkdir -p "$VM/bin"
  cp "$SRC/tools/bpf/resolve_btfids/resolve_btfids" "$VM/bin/resolve_btfids-6.1"
  cp "$SRC/scripts/extract-vmlinux" "$VM/bin/extract-vmlinux"
  rm -rf "$SRC" # 116 MB of tools sources: the binary is all we keep
  step_end
fi
[[ -x "$VM/k6.1/resolve_btfids" ]] || cp "$VM/bin/resolve_btfids-6.1" "$VM/k6.1/resolve_btfids"
if [[ ! -x "$VM/k6.12/resolve_btfids" ]]; then
  cp "$VM/k6.12/objtree/tools/bpf/resolve_btfids/resolve_btfids" "$VM/k6.12/resolve_btfids"
fi

# ---------------------------------------------------------------- 6. vmlinux ELF, BTF base, vmlinux.h
for kver in 6.1 6.12; do
  K="$VM/k$kver"
  if [[ "$kver" == 6.1 ]]; then rel="$K61_ABI-amd64"; else rel="$K612_REL-amd64"; fi
  if [[ ! -f "$K/vmlinux" ]]; then
    step_start "k$kver: extract-vmlinux"
    extract_vmlinux "$K/objtree" "$K/root/boot/vmlinuz-$rel" "$K/vmlinux"
    step_end
  fi
  # 6.1 headers ship no vmlinux: kbuild's cmd_btf_ko needs $(objtree)/vmlinux as the BTF base.
  if [[ ! -e "$K/objtree/vmlinux" ]]; then ln -s "$K/vmlinux" "$K/objtree/vmlinux"; fi
  if [[ ! -f "$K/vmlinux.h" ]]; then
    step_start "k$kver: vmlinux.h"
    bpftool btf dump file "$K/vmlinux" format c >"$K/vmlinux.h.tmp" && mv "$K/vmlinux.h.tmp" "$K/vmlinux.h"
    step_end
  fi
  cat >"$K/vm.env.tmp" <<ENV
RELEASE='$rel'
OBJTREE='$K/objtree'
VMLINUX='$K/vmlinux'
VMLINUZ='$K/root/boot/vmlinuz-$rel'
VMLINUX_H='$K/vmlinux.h'
RESOLVE_BTFIDS='$K/resolve_btfids'
ENV
  # rewritten only when it changes: build scripts treat a newer vm.env as "rebuild"
  if cmp -s "$K/vm.env.tmp" "$K/vm.env"; then rm "$K/vm.env.tmp"; else mv "$K/vm.env.tmp" "$K/vm.env"; fi
done

printf '[prepare] %-34s %6.2fs\n' "total" "$(echo "$(date +%s.%N) - $T_ALL" | bc)"
