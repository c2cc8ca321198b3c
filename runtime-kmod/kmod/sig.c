// SPDX-License-Identifier: GPL-2.0
/*
 * sig.c — 16-lane __u16 signature search and the fused blocked-cuckoo bucket lookup.
 * AVX2 path: vpbroadcastw + vpcmpeqw over the 32-byte lane block, packed to bytes and
 * vpmovmskb'd into a 16-bit lane mask; inline asm between kernel_fpu_begin()/kernel_fpu_end()
 * (the kernel is built -mno-sse -mno-avx, so the compiler never allocates vector registers and
 * the asm needs no vector clobbers; kernel_fpu_begin saves whatever state was live). Used only
 * when irq_fpu_usable() says the FPU may be taken here; otherwise, and on CPUs without AVX2,
 * the scalar loop runs. Both return the same mask bit for bit.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/bitops.h>
#include <asm/fpu/api.h>
#include <nfc_runtime.h>
#include "compat.h"
#include "internal.h"

static u32 sig16_scalar(const u8 *p, u16 sig)
{
	u32 m = 0, i;
	u16 lane;

	for (i = 0; i < NFC_RT_SIG_LANES; i++) {
		memcpy(&lane, p + 2 * i, 2);
		m |= (u32)(le16_to_cpu(lane) == sig) << i;
	}
	return m;
}

static u32 sig16_avx2(const u8 *p, u16 sig)
{
	u32 m;

	kernel_fpu_begin();
	asm volatile("vmovd %k[sig], %%xmm1\n\t"
		     "vpbroadcastw %%xmm1, %%ymm1\n\t"
		     "vpcmpeqw (%[p]), %%ymm1, %%ymm0\n\t"
		     "vextracti128 $1, %%ymm0, %%xmm2\n\t"
		     "vpacksswb %%xmm2, %%xmm0, %%xmm0\n\t"
		     "vpmovmskb %%xmm0, %k[m]\n\t"
		     "vzeroupper"
		     : [m] "=r"(m)
		     : [p] "r"(p), [sig] "r"((u32)sig), "m"(*(const u8(*)[32])p));
	kernel_fpu_end();
	return m;
}

static __always_inline u32 sig16(const void *p, u16 sig)
{
	if ((nfc_rt_feature_mask & NFC_RT_F_AVX2) && irq_fpu_usable())
		return sig16_avx2(p, sig);
	return sig16_scalar(p, sig);
}

NFC_KFUNC_DEFS_START;

__bpf_kfunc __u32 nfc_rt_sig16_mask(const void *sigs, __u32 sigs__sz, __u32 sig)
{
	if (sigs__sz != 2 * NFC_RT_SIG_LANES)
		return 0;
	return sig16(sigs, (u16)sig);
}

__bpf_kfunc __s32 nfc_rt_sig16_find(const void *sigs, __u32 sigs__sz, __u32 sig)
{
	u32 m;

	if (sigs__sz != 2 * NFC_RT_SIG_LANES)
		return -1;
	m = sig16(sigs, (u16)sig);
	return m ? __ffs(m) : -1;
}

__bpf_kfunc __s32 nfc_rt_bucket_lookup(const void *bucket, __u32 bucket__sz, const void *key,
				       __u32 key__sz, __u32 sig)
{
	const u8 *slots = (const u8 *)bucket + 2 * NFC_RT_SIG_LANES;
	u32 stride, m, i;

	if (bucket__sz <= 2 * NFC_RT_SIG_LANES || (bucket__sz - 2 * NFC_RT_SIG_LANES) % 16)
		return -1;
	stride = (bucket__sz - 2 * NFC_RT_SIG_LANES) / 16;
	if (!key__sz || key__sz > stride || !(u16)sig)
		return -1;
	for (m = sig16(bucket, (u16)sig); m; m &= m - 1) {
		i = __ffs(m);
		if (!memcmp(slots + i * stride, key, key__sz))
			return i;
	}
	return -1;
}

NFC_KFUNC_DEFS_END;
