// SPDX-License-Identifier: GPL-2.0
/* abi.bpf.c — the ABI version through the kfunc and through CO-RE on module BTF agree. */
#include "selftest.h"

__u64 abi;
__u64 features;

SEC("xdp")
int xdp_abi(struct xdp_md *ctx)
{
	__u32 v = nfc_rt_abi_version();

	abi = v;
	features = nfc_rt_features();
	CHECK(0, v == NFC_RT_ABI_VERSION);
	CHECK(1, bpf_core_enum_value(enum nfc_rt_abi, NFC_RT_ABI_VERSION) == v);
	CHECK(2, (features & ~(__u64)(NFC_RT_F_CRC32C_HW | NFC_RT_F_POPCNT_HW | NFC_RT_F_AVX2)) == 0);
	return XDP_PASS;
}
