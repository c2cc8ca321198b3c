#!/usr/bin/env bash
# resolve-kernels.sh — choose a COHERENT set of Debian kernel packages for the VM tier.
#
# A set is coherent when every package of it exists at ONE version: for 6.1, the image, its headers
# (-amd64 and -common) and the version-less linux-kbuild-6.1 / linux-source-6.1 at the image's
# version; for 6.12 (bookworm-backports), image, headers, headers-common and linux-kbuild-<rel> at
# one version. Debian's archive moves on (old ABIs and old kbuild/source versions disappear at
# different times), so a pinned release can half-exist: its image still there, its kbuild gone.
#
# Order of preference: the pinned release if coherent (from the .deb cache or the archive), else the
# newest coherent one. Prints shell assignments on stdout (eval them):
#   K61_ABI  K61_VER  K61_WHY  K612_REL  K612_VER  K612_WHY
# and exits 1 with a reason on stderr when no coherent set exists.
#
# Usage: resolve-kernels.sh PINNED_61_ABI PINNED_612_REL DEB_CACHE_DIR
# Env:   NFC_APT_CACHE        apt-cache to call (tests point it at a simulated archive)
#        NFC_APT_BPO_OPTS     extra apt options for bookworm-backports queries (one per line)
#        NFC_RESOLVE_CACHE_ONLY=1  consult only the .deb cache, and only for the pinned releases
#                             (prepare.sh's fast path: no archive query when the cache is complete)
set -euo pipefail

PIN61="$1"
PIN612="$2"
DEBS="$3"
APT_CACHE="${NFC_APT_CACHE:-apt-cache}"
BPO_OPTS=()
if [[ -n "${NFC_APT_BPO_OPTS:-}" ]]; then mapfile -t BPO_OPTS <<<"$NFC_APT_BPO_OPTS"; fi

# The archive is read once per series: one `search` for the image names, one `madison` over every
# package a set of them needs. TABLE holds "PKG VERSION" lines from the archive and the cache.
TABLE=""
load_table() { # load_table [bpo] IMAGE_REGEX EXTRA_PKG...
  local opts=()
  if [[ "$1" == bpo ]]; then opts=("${BPO_OPTS[@]}"); shift; fi
  local re="$1"; shift
  local images abis pkgs=("$@") a
  TABLE=""
  [[ "${NFC_RESOLVE_CACHE_ONLY:-0}" == 1 ]] && { add_cache; return 0; }
  images="$("$APT_CACHE" "${opts[@]}" search --names-only "$re" 2>/dev/null | awk '{print $1}' | grep -E "$re" || true)"
  abis="$(sed -E 's/^linux-image-//; s/-amd64$//' <<<"$images")"
  for a in $abis; do pkgs+=("linux-image-$a-amd64" "linux-headers-$a-amd64" "linux-headers-$a-common"); done
  TABLE="$("$APT_CACHE" "${opts[@]}" madison "${pkgs[@]}" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $1); gsub(/ /, "", $2); print $1, $2}' || true)"
  add_cache
}
add_cache() {
  local f b
  for f in "$DEBS"/*.deb; do
    [[ -e "$f" ]] || continue
    b="$(basename "$f")"
    TABLE+=$'\n'"$(cut -d_ -f1 <<<"$b") $(cut -d_ -f2 <<<"$b" | sed 's/%3a/:/')"
  done
}

# available PKG VER -> in the cache or the archive at exactly VER
available() { grep -qxF "$1 $2" <<<"$TABLE"; }

# image_versions PKG -> every version of PKG, newest first
image_versions() { awk -v p="$1" '$1 == p {print $2}' <<<"$TABLE" | sort -Vru; }

# candidates REGEX -> releases of the images matching, newest first
candidates() { awk '{print $1}' <<<"$TABLE" | grep -E "$1" | sed -E 's/^linux-image-//; s/-amd64$//' | sort -Vru; }

# coherent61 ABI -> prints VER of the newest coherent set for that ABI, or fails with the gap
coherent61() {
  local abi="$1" v p gap=""
  for v in $(image_versions "linux-image-$abi-amd64"); do
    gap=""
    for p in "linux-image-$abi-amd64" "linux-headers-$abi-amd64" "linux-headers-$abi-common" \
      linux-kbuild-6.1 linux-source-6.1; do
      available "$p" "$v" || { gap="$p=$v missing"; break; }
    done
    [[ -z "$gap" ]] && { echo "$v"; return 0; }
  done
  echo "${gap:-linux-image-$abi-amd64 not in the archive}"
  return 1
}

coherent612() {
  local rel="$1" v p gap=""
  for v in $(image_versions "linux-image-$rel-amd64"); do
    gap=""
    for p in "linux-image-$rel-amd64" "linux-headers-$rel-amd64" "linux-headers-$rel-common" "linux-kbuild-$rel"; do
      available "$p" "$v" || { gap="$p=$v missing"; break; }
    done
    [[ -z "$gap" ]] && { echo "$v"; return 0; }
  done
  echo "${gap:-linux-image-$rel-amd64 not in bookworm-backports}"
  return 1
}

# pick KVER PINNED -> sets CHOSEN, VER, WHY
pick() {
  local kver="$1" pin="$2" out cand
  local fn=coherent61 re='^linux-image-6\.1\.0-[0-9]+-amd64$'
  if [[ "$kver" == 6.12 ]]; then
    fn=coherent612 re='^linux-image-6\.12\.[0-9]+\+deb12(\.[0-9]+)?-amd64$'
    load_table bpo "$re" "linux-image-$pin-amd64" "linux-headers-$pin-amd64" "linux-headers-$pin-common" "linux-kbuild-$pin"
    [[ "${NFC_RESOLVE_CACHE_ONLY:-0}" == 1 ]] || TABLE+=$'\n'"$("$APT_CACHE" "${BPO_OPTS[@]}" madison $(candidates "$re" | sed 's/^/linux-kbuild-/') 2>/dev/null | awk -F'|' '{gsub(/ /, "", $1); gsub(/ /, "", $2); print $1, $2}' || true)"
  else
    load_table "$re" "linux-image-$pin-amd64" "linux-headers-$pin-amd64" "linux-headers-$pin-common" linux-kbuild-6.1 linux-source-6.1
  fi
  if out="$($fn "$pin")"; then
    CHOSEN="$pin" VER="$out" WHY="pinned"
    return 0
  fi
  local pin_gap="$out"
  if [[ "${NFC_RESOLVE_CACHE_ONLY:-0}" == 1 ]]; then
    echo "resolve-kernels: pinned $kver $pin is not complete in the cache ($pin_gap)" >&2
    return 1
  fi
  for cand in $(candidates "$re"); do
    [[ "$cand" == "$pin" ]] && continue
    if out="$($fn "$cand")"; then
      CHOSEN="$cand" VER="$out" WHY="pinned $pin is incoherent ($pin_gap); newest coherent set"
      return 0
    fi
  done
  echo "resolve-kernels: no coherent $kver kernel set (pinned $pin: $pin_gap)" >&2
  return 1
}

pick 6.1 "$PIN61"
printf 'K61_ABI=%q\nK61_VER=%q\nK61_WHY=%q\n' "$CHOSEN" "$VER" "$WHY"
pick 6.12 "$PIN612"
printf 'K612_REL=%q\nK612_VER=%q\nK612_WHY=%q\n' "$CHOSEN" "$VER" "$WHY"
