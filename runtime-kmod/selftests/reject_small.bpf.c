// SPDX-License-Identifier: GPL-2.0
/* reject_small.bpf.c — MUST NOT load: 32 bytes of packet passed with only 9 proven in bounds,
 * so the (buf, buf__sz) pair fails the verifier's memory check. */
#include "selftest.h"

SEC("xdp")
int xdp_crc_too_long(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 9 > end)
		return XDP_ABORTED;
	return nfc_rt_crc32c(0, data, 32) & 1;
}
