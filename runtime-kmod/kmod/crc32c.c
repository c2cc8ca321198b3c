// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c.c — CRC-32C over verifier-checked memory.
 * Hardware path: the SSE4.2 `crc32` instruction. It works on general-purpose registers only, so
 * it needs NO kernel_fpu_begin()/end(); any instruction touching XMM/YMM state (SIMD compare,
 * PCLMUL folding) MUST run between kernel_fpu_begin() and kernel_fpu_end() (the kernel is built
 * with -mno-sse, so such code is inline asm or a separately compiled object).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <nfc_runtime.h>
#include "compat.h"
#include "internal.h"

#define CRC32C_POLY_REFLECTED 0x82F63B78u

static u32 crc32c_table[256] __read_mostly;

void nfc_rt_crc32c_init(void)
{
	u32 i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ ((c & 1) ? CRC32C_POLY_REFLECTED : 0);
		crc32c_table[i] = c;
	}
}

static u32 crc32c_sw(u32 crc, const u8 *p, u32 len)
{
	while (len--)
		crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

static u32 crc32c_hw(u32 crc, const u8 *p, u32 len)
{
	u64 c = crc, v;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&v, p, 8);
		asm("crc32q %1, %0" : "+r"(c) : "rm"(v));
	}
	crc = (u32)c;
	for (; len; len--, p++)
		asm("crc32b %1, %0" : "+r"(crc) : "rm"(*p));
	return crc;
}

NFC_KFUNC_DEFS_START;

__bpf_kfunc __u32 nfc_rt_crc32c(__u32 seed, const void *buf, __u32 buf__sz)
{
	if (nfc_rt_feature_mask & NFC_RT_F_CRC32C_HW)
		return crc32c_hw(seed, buf, buf__sz);
	return crc32c_sw(seed, buf, buf__sz);
}

NFC_KFUNC_DEFS_END;
