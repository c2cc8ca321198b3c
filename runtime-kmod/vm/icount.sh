#!/usr/bin/env bash
# icount.sh [KERNEL...] [--cpu max|base] — guest instruction counts per call, kmod vs pure BPF.
# Boots each KERNEL (default: 6.1 6.12) with run.sh --icount --bench: QEMU counts one
# nanosecond per guest instruction (-icount shift=0,sleep=off), so BPF_PROG_TEST_RUN's mean
# duration over 1000 runs is the mean instruction count per run, exactly repeatable. The table
# subtracts the empty program's count (test_run loop + program entry), leaving what one call of
# the operation costs. A metric for regressions and for comparing backends, NEVER a time: TCG
# executes AVX2 and crc32 ~10-30x slower than ALU code, and caches do not exist.
# Programs: runtime-kmod/bench/{bench,pq}.bpf.c; manifest: runtime-kmod/vm/initramfs/bench.txt.
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

ERR=/dev/null; [[ -t 2 ]] && ERR=/dev/stderr  # on a terminal: run.sh's progress line (stage, elapsed)
echo "# command: runtime-kmod/vm/icount.sh ${KERNELS[*]} $(printf -- '--cpu %s ' "${CPUS[@]}")"
printf '%-6s %-5s %-8s %10s %10s %10s %8s\n' kernel cpu op pure kmod kmod-pure ratio
for k in "${KERNELS[@]}"; do
  for c in "${CPUS[@]}"; do
    "$REPO/runtime-kmod/vm/run.sh" "$k" --cpu "$c" --icount --bench >/dev/null 2>"$ERR" || {
      echo "icount: run.sh $k --cpu $c --icount --bench failed; see build/vm/k$k/bench-$c.log" >&2
      exit 1
    }
    log="$REPO/build/vm/k$k/bench-$c.log"
    declare -A n=()
    while read -r name d; do n[$name]=$d; done < <(
      tr -d '\r' <"$log" | sed -n 's/^NFC-RESULT name=\([a-z0-9_]*\) ok=1 .*duration_ns=\([0-9]*\) .*bench=1.*/\1 \2/p')
    [[ -n "${n[empty]:-}" ]] || { echo "icount: no bench results in $log" >&2; exit 1; }
    for op in cms4 cms8 bucket cs3 cs5 cs8 cs12 cs16 nitro5 nitro5_add pq64 pq4096 fifo wheel64 wheel512 hll topk topk16 topk64 topk256; do
      p=$((n[${op}_pure] - n[empty])) m=$((n[${op}_kmod] - n[empty]))
      printf '%-6s %-5s %-8s %10d %10d %10d %8s\n' "$k" "$c" "$op" "$p" "$m" $((m - p)) \
        "$(awk -v a="$m" -v b="$p" 'BEGIN { printf "%.2f", a / b }')"
    done
    # cuckoo<L>: per lookup = (program - its _base twin) / 32 lookups; fill read from .bss
    for L in 25 50 75 100; do
      op=cuckoo$L fill=""
      for be in pure kmod; do
        f=$(tr -d '\r' <"$log" | sed -n "s/^NFC-RESULT name=${op}_$be ok=1 .* filled_${L}_$be=\(0x[0-9a-f]*\).*/\1/p")
        fill+=" $be=$((${f:-0}))"
      done
      p=$(((n[${op}_pure] - n[${op}_pure_base] + 16) / 32)) m=$(((n[${op}_kmod] - n[${op}_kmod_base] + 16) / 32))
      printf '%-6s %-5s %-8s %10d %10d %10d %8s  filled/1024:%s\n' "$k" "$c" "$op" "$p" "$m" $((m - p)) \
        "$(awk -v a="$m" -v b="$p" 'BEGIN { printf "%.2f", a / b }')" "$fill"
    done
    # ord<F>_get / ord<F>_ins (insert + remove of a fresh key): program - ord<F>_base
    for F in 4 8 15; do
      fill=""
      for be in pure kmod; do
        f=$(tr -d '\r' <"$log" | sed -n "s/^NFC-RESULT name=ord${F}_base_$be ok=1 .* filled_${F}_$be=\(0x[0-9a-f]*\).*/\1/p")
        fill+=" $be=$((${f:-0}))"
      done
      for o in get ins; do
        op=ord${F}_$o
        p=$((n[${op}_pure] - n[ord${F}_base_pure])) m=$((n[${op}_kmod] - n[ord${F}_base_kmod]))
        printf '%-6s %-5s %-8s %10d %10d %10d %8s  keys:%s\n' "$k" "$c" "$op" "$p" "$m" $((m - p)) \
          "$(awk -v a="$m" -v b="$p" 'BEGIN { printf "%.2f", a / b }')" "$fill"
      done
    done
    unset n
  done
done
