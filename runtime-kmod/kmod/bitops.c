// SPDX-License-Identifier: GPL-2.0
/* bitops.c — bit-operation kfuncs. hweight64() is patched to POPCNT by the kernel's
 * alternatives when the CPU has it (module alternatives are applied at load). */
#include <linux/bitops.h>
#include <nfc_runtime.h>
#include "compat.h"

NFC_KFUNC_DEFS_START;

__bpf_kfunc __u64 nfc_rt_popcnt64(__u64 x)
{
	return hweight64(x);
}

NFC_KFUNC_DEFS_END;
