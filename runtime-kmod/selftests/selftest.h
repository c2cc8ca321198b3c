/* SPDX-License-Identifier: GPL-2.0 */
/*
 * selftest.h — convention shared by the VM selftests (compiled with clang-19 against the GUEST
 * kernel's vmlinux.h). Each assertion bumps `checks`; a failing one sets bit N of `fails`.
 * The VM loader prints every .bss integer after BPF_PROG_TEST_RUN and reports ok=1 iff
 * checks > 0 && fails == 0. Other .bss globals are printed as observed values.
 */
#ifndef NFC_SELFTEST_H
#define NFC_SELFTEST_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <nfc_runtime.h>

__u64 checks;
__u64 fails;

#define CHECK(n, cond)                        \
	do {                                  \
		checks++;                     \
		if (!(cond))                  \
			fails |= 1ull << (n); \
	} while (0)

char LICENSE[] SEC("license") = "GPL";

#endif
