#!/usr/bin/env bash
# icount.sh [KERNEL...] [--cpu max|base] — guest instruction counts per call, kmod vs pure BPF.
# Boots each KERNEL (default: 6.1 6.12) with run.sh --icount --bench: QEMU counts one
# nanosecond per guest instruction (-icount shift=0,sleep=off), so BPF_PROG_TEST_RUN's mean
# duration over 1000 runs is the mean instruction count per run, exactly repeatable. The table
# subtracts the empty program's count (test_run loop + program entry), leaving what one call of
# the operation costs. A metric for regressions and for comparing backends, NEVER a time: TCG
# executes AVX2 and crc32 ~10-30x slower than ALU code, and caches do not exist.
# Programs: runtime-kmod/bench/bench.bpf.c; manifest: runtime-kmod/vm/initramfs/bench.txt.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
KERNELS=() CPUS=()
while (($#)); do
  case "$1" in
    --cpu) CPUS+=("$2"); shift 2 ;;
    6.1|6.12) KERNELS+=("$1"); shift ;;
    *) echo "usage: icount.sh [6.1] [6.12] [--cpu max|base]..." >&2; exit 64 ;;
  esac
done
((${#KERNELS[@]})) || KERNELS=(6.1 6.12)
((${#CPUS[@]})) || CPUS=(max base)

echo "# command: runtime-kmod/vm/icount.sh ${KERNELS[*]} $(printf -- '--cpu %s ' "${CPUS[@]}")"
printf '%-6s %-5s %-8s %10s %10s %10s %8s\n' kernel cpu op pure kmod kmod-pure ratio
for k in "${KERNELS[@]}"; do
  for c in "${CPUS[@]}"; do
    "$REPO/runtime-kmod/vm/run.sh" "$k" --cpu "$c" --icount --bench >/dev/null 2>&1 || {
      echo "icount: run.sh $k --cpu $c --icount --bench failed; see build/vm/k$k/bench-$c.log" >&2
      exit 1
    }
    log="$REPO/build/vm/k$k/bench-$c.log"
    declare -A n=()
    while read -r name d; do n[$name]=$d; done < <(
      tr -d '\r' <"$log" | sed -n 's/^NFC-RESULT name=\([a-z0-9_]*\) ok=1 .*duration_ns=\([0-9]*\) .*bench=1.*/\1 \2/p')
    [[ -n "${n[empty]:-}" ]] || { echo "icount: no bench results in $log" >&2; exit 1; }
    for op in cms4 cms8 bucket; do
      p=$((n[${op}_pure] - n[empty])) m=$((n[${op}_kmod] - n[empty]))
      printf '%-6s %-5s %-8s %10d %10d %10d %8s\n' "$k" "$c" "$op" "$p" "$m" $((m - p)) \
        "$(awk -v a="$m" -v b="$p" 'BEGIN { printf "%.2f", a / b }')"
    done
    unset n
  done
done
