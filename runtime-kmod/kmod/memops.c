// SPDX-License-Identifier: GPL-2.0
/*
 * memops.c — copy and compare of large keys/values. The JIT copies word by word (a 1 KB copy
 * costs ~10x the kernel's memcpy, which is `rep movsb` on ERMS CPUs); memcmp compares every
 * byte (the public artifact's 16-byte compare always said "equal": tests cover each position).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <nfc_runtime.h>
#include "compat.h"

NFC_KFUNC_DEFS_START;

__bpf_kfunc __s64 nfc_rt_memcpy(void *dst, __u32 dst__sz, const void *src, __u32 src__sz)
{
	if (src__sz > dst__sz)
		return -EINVAL;
	memcpy(dst, src, src__sz);
	return src__sz;
}

__bpf_kfunc __s32 nfc_rt_memcmp(const void *a, __u32 a__sz, const void *b, __u32 b__sz)
{
	int r = memcmp(a, b, min(a__sz, b__sz));

	if (r)
		return r < 0 ? -1 : 1;
	if (a__sz != b__sz)
		return a__sz < b__sz ? -1 : 1;
	return 0;
}

NFC_KFUNC_DEFS_END;
