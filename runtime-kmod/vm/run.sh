#!/usr/bin/env bash
# run.sh KERNEL(6.1|6.12) [--cpu max|base] [--timeout SECONDS] [--bzimage] [--icount] [--bench]
# Builds the initramfs for KERNEL (module + selftests), boots it in QEMU under TCG and parses the
# guest's NFC-RESULT lines. Needs runtime-kmod/vm/prepare.sh to have run (exit 3 otherwise).
#   --cpu max   `-cpu max`: SSE4.2, POPCNT, AVX2 — the module's hardware paths
#   --cpu base  `-cpu qemu64`: no SSE4.2/POPCNT/AVX2 — the scalar fallbacks
#   --bzimage   boot the compressed bzImage instead of the decompressed ELF via PVH (~4 s slower)
#   --icount    `-icount shift=0,sleep=off`: guest time counts instructions (1 ns each), so
#               duration_ns becomes a repeatable instruction count (a metric, never a time)
#   --bench     run initramfs/bench.txt (kmod vs pure-BPF programs) instead of tests.txt; the
#               log is then build/vm/k<KERNEL>/bench-<cpu>.log (see icount.sh)
# Output: the guest console, then `NFC-SUMMARY kernel=K cpu=C passed=N failed=M done=0|1
# build_s=X boot_s=Y`. Exit: 0 all ok; 1 some check failed; 2 guest died / timed out / no
# results; 3 not prepared. The console log is kept in build/vm/k<KERNEL>/run-<cpu>.log.
# On a terminal (stderr a TTY) a progress line shows the stage and its elapsed seconds (and the
# results so far while the guest runs), and when stdout is that terminal too the guest console
# goes to the log only; in pipes nothing changes: no progress, the console on stdout.
set -euo pipefail
KVER="${1:-}"
[[ "$KVER" == 6.1 || "$KVER" == 6.12 ]] || { echo "usage: run.sh 6.1|6.12 [--cpu max|base] [--timeout S] [--bzimage] [--icount] [--bench]" >&2; exit 64; }
shift
CPU=max TIMEOUT=240 BZ=0 ICOUNT=() BENCH=0
while (($#)); do
  case "$1" in
    --cpu) CPU="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --bzimage) BZ=1; shift ;;
    --icount) ICOUNT=(-icount "shift=0,sleep=off"); shift ;;
    --bench) BENCH=1; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
case "$CPU" in max) QCPU=max ;; base) QCPU=qemu64 ;; *) echo "run.sh: --cpu max|base" >&2; exit 64 ;; esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
K="$REPO/build/vm/k$KVER"
[[ -f "$K/vm.env" ]] || { echo "run.sh: the VM tier is not prepared: run runtime-kmod/vm/prepare.sh" >&2; exit 3; }
command -v qemu-system-x86_64 >/dev/null || { echo "run.sh: qemu-system-x86_64 missing: run prepare.sh" >&2; exit 3; }
# shellcheck disable=SC1091
source "$K/vm.env"

LOG="$K/run-$CPU.log" EXTRA=""
((BENCH)) && { LOG="$K/bench-$CPU.log"; EXTRA=" nfc.bench=1"; }
[[ -n "${NFC_VM_EXTRA:-}" ]] && LOG="$K/run-extra-$CPU.log"  # initramfs/build.sh: examples image

TTY=0; [[ -t 2 ]] && TTY=1
SHOW=1; [[ -t 1 && -t 2 ]] && SHOW=0  # the guest console on stdout, unless that is the terminal
TICK=""
# tick_start WHAT [results]: rewrite "[vm K cpu] WHAT: N s" every second on the terminal
tick_start() {
  ((TTY)) || return 0
  local what="$1" count="${2:-}"
  (
    s=0
    while :; do
      n=""; [[ -n "$count" ]] && n=", $(grep -c '^NFC-RESULT' "$LOG" 2>/dev/null || true) results"
      printf '\r\033[2K[vm %s %s] %s: %d s%s' "$KVER" "$CPU" "$what" "$s" "$n" >&2
      sleep 1; s=$((s + 1))
    done
  ) &
  TICK=$!
}
tick_stop() {
  [[ -n "$TICK" ]] || return 0
  kill "$TICK" 2>/dev/null || true; wait "$TICK" 2>/dev/null || true; TICK=""
  printf '\r\033[2K' >&2
}
trap tick_stop EXIT

now() { date +%s.%N; }
t0=$(now)
tick_start "building the initramfs"
CPIO="$("$REPO/runtime-kmod/vm/initramfs/build.sh" "$KVER" | tail -1)"
tick_stop
t1=$(now)

KIMG="$VMLINUX"; ((BZ)) && KIMG="$VMLINUZ"
: >"$LOG"
tick_start "QEMU (TCG, timeout ${TIMEOUT} s)" results
set +e
timeout --kill-after=5 "$TIMEOUT" nice -n 10 qemu-system-x86_64 \
  -accel tcg -cpu "$QCPU" -m 512 -smp 1 "${ICOUNT[@]}" \
  -nographic -no-reboot -nodefaults -serial stdio \
  -kernel "$KIMG" -initrd "$CPIO" \
  -append "console=ttyS0 panic=-1 quiet loglevel=4 rdinit=/init$EXTRA" \
  </dev/null 2>&1 | if ((SHOW)); then tee "$LOG"; else tee "$LOG" >/dev/null; fi
qrc=${PIPESTATUS[0]}
set -e
tick_stop
((SHOW)) || echo "guest console: $LOG"
t2=$(now)

passed=$(grep -c '^NFC-RESULT .* ok=1' "$LOG" || true)
failed=$(grep -c '^NFC-RESULT .* ok=0' "$LOG" || true)
done_=0; grep -q '^NFC-DONE' "$LOG" && done_=1
printf 'NFC-SUMMARY kernel=%s cpu=%s passed=%d failed=%d done=%d qemu_rc=%d build_s=%.1f boot_s=%.1f\n' \
  "$KVER" "$CPU" "$passed" "$failed" "$done_" "$qrc" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
if ((!done_ || passed == 0)); then exit 2; fi
if ((failed)); then exit 1; fi
exit 0
