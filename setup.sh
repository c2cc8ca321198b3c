#!/usr/bin/env bash
# One-time (and idempotent) setup: Debian packages, node dependencies, the TypeScript build, the
# kernel runner (build/nfc-runner), bpffs. A second run does nothing and takes a second or two.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

PACKAGES=(clang-19 llvm-19 libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config make gcc prometheus memcached)
BPFFS=/sys/fs/bpf
summary=()
note() { summary+=("$(printf '  %-14s %s' "$1" "$2")"); }
is_root() { [ "$(id -u)" -eq 0 ]; }

# 1. Debian packages.
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  note packages "all present (${PACKAGES[*]})"
elif is_root; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" </dev/null
  note packages "installed ${missing[*]}"
  # The live tests start their own memcached and Prometheus on test addresses; a daemon the package
  # started (systemd hosts only) would hold their ports and run for nothing: stop what we installed.
  for svc in memcached prometheus; do
    if [[ " ${missing[*]} " == *" $svc "* ]] && [ -d /run/systemd/system ]; then
      systemctl disable --now "$svc" >/dev/null 2>&1 && note "$svc" "service stopped and disabled (tests start their own)"
    fi
  done
else
  echo "setup: missing Debian packages: ${missing[*]}" >&2
  echo "setup: install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

# 2. Node and its dependencies (npm ci only when package-lock.json changed since the last install).
command -v node >/dev/null || { echo "setup: node (>= 20.19) is required" >&2; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  { echo "setup: node $(node --version) is too old: nfc needs >= 20.19" >&2; exit 1; }
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.nfc-setup-lock
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  note node_modules "up to date"
else
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >"$stamp"
  note node_modules "installed (npm ci)"
fi

# 3. TypeScript build (skipped when nothing it reads is newer than the last build).
build_stamp=dist/.nfc-build-stamp
if [ -f "$build_stamp" ] && [ -z "$(find lang compiler bench tsconfig.json package.json package-lock.json \
     -newer "$build_stamp" -print -quit 2>/dev/null)" ]; then
  note build "up to date (dist/)"
else
  npm run --silent build
  touch "$build_stamp"
  note build "built (dist/)"
fi

# 4. The kernel runner (make rebuilds only when runner/ changed).
if make -q -C runner >/dev/null 2>&1; then
  note runner "up to date (build/nfc-runner)"
else
  make -s -C runner
  note runner "built (build/nfc-runner)"
fi

# 5. bpffs (needed for pinned maps and the kernel test tier).
if grep -qs " $BPFFS bpf " /proc/mounts; then
  note bpffs "mounted at $BPFFS"
elif is_root; then
  mount -t bpf bpf "$BPFFS"
  note bpffs "mounted now at $BPFFS"
else
  note bpffs "NOT mounted (as root: mount -t bpf bpf $BPFFS); kernel tests will not run"
fi

# 6. The VM tier for runtime-kmod: Debian 6.1 and 6.12 kernels, their kbuild trees with BTF, a
#    busybox initramfs (cached in build/vm; a second run takes a few seconds). It is optional for a
#    user's main job: a failure here is reported and setup still succeeds (CI requires the tier
#    through its tests, which run prepare.sh again and fail when it cannot).
if is_root; then
  vm_log=build/vm-prepare.log
  mkdir -p build
  if bash runtime-kmod/vm/prepare.sh >"$vm_log" 2>&1; then
    note vm "ready in build/vm: $(grep -E '^\[prepare\] 6\.1' "$vm_log" | sed -E 's/^\[prepare\] +//; s/ +/ /g' | paste -sd ';' -)"
  else
    why="$(grep -E '^\[prepare\] error:' "$vm_log" | tail -1 | sed 's/^\[prepare\] error: //')"
    note vm "unavailable (${why:-see $vm_log}); full log: $vm_log"
  fi
else
  note vm "unavailable (needs root): the VM tier will not run"
fi

echo "nfc setup done:"
printf '%s\n' "${summary[@]}"
is_root || echo "  note: not root; loading BPF programs (npx nfc test, kernel tests) needs root"
