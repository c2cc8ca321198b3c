// SPDX-License-Identifier: GPL-2.0
/* The empty XDP program: the floor every benchmark subtracts (test_run overhead, no work). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int empty_prog(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
