// SPDX-License-Identifier: GPL-2.0
/* reject_leak.bpf.c — MUST NOT load: a node acquired with nfc_rt_node_new is never released. */
#include "selftest.h"

SEC("xdp")
int xdp_leak(struct xdp_md *ctx)
{
	struct nfc_rt_mem *m = nfc_rt_mem_new(8, 1, 4);
	struct nfc_rt_node *n;

	if (!m)
		return XDP_PASS;
	n = nfc_rt_node_new(m);
	nfc_rt_mem_release(m);
	return n ? XDP_DROP : XDP_PASS; /* n leaks */
}
