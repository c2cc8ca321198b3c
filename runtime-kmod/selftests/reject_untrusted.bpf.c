// SPDX-License-Identifier: GPL-2.0
/* reject_untrusted.bpf.c — MUST NOT load: a kptr loaded directly from a map value (not taken
 * with bpf_kptr_xchg) is untrusted and may not be passed to a kfunc. */
#include "selftest.h"

struct holder {
	struct nfc_rt_lists __nfc_kptr *l;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct holder);
} untrusted_map SEC(".maps");

SEC("xdp")
int xdp_untrusted(struct xdp_md *ctx)
{
	struct nfc_rt_lists *l;
	struct holder *h;
	__u32 zero = 0;

	h = bpf_map_lookup_elem(&untrusted_map, &zero);
	if (!h)
		return XDP_PASS;
	l = h->l;
	if (!l)
		return XDP_PASS;
	return nfc_rt_lists_len(l, 0) > 0 ? XDP_DROP : XDP_PASS;
}
