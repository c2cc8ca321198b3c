// SPDX-License-Identifier: GPL-2.0
/*
 * lists.bpf.c — list buckets: FIFO order per list, the capacity bound (exactly `capacity`
 * pushes succeed, the next says -ENOSPC: the artifact's slot bound was off by one), slot reuse
 * after pop, empty/bad-argument results; then the object is kept in a map value as a
 * referenced kptr (taken out, used, put back) and freed by the module's destructor with the map.
 */
#include "selftest.h"

struct holder {
	struct nfc_rt_lists __nfc_kptr *l;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct holder);
} lists_map SEC(".maps");

__u64 pushed, popped_sum, full_ret, stored;

static __always_inline int lists_checks(void)
{
	struct nfc_rt_lists *l, *old;
	struct holder *h;
	__u64 e = 0;
	__u32 zero = 0;

	CHECK(0, 1); /* reached */
	l = nfc_rt_lists_new(0, 8, 6);
	if (l) {
		nfc_rt_lists_release(l);
		CHECK(1, 0);
	}
	l = nfc_rt_lists_new(4, 257, 6);
	if (l) {
		nfc_rt_lists_release(l);
		CHECK(1, 0);
	}
	l = nfc_rt_lists_new(4, 8, 6);
	if (!l) {
		CHECK(2, 0);
		return 0;
	}
	pushed = 0;
	/* the loop counter never has its address taken: a kfunc may write any memory it is given,
	 * so the verifier forgets a counter passed by pointer and cannot prove the loop ends */
	for (int v = 1; v <= 3; v++) {
		e = v;
		pushed += nfc_rt_lists_push(l, 0, &e, 8) == 0;
		e = v + 10;
		pushed += nfc_rt_lists_push(l, 2, &e, 8) == 0;
	}
	CHECK(3, pushed == 6);
	e = 77;
	full_ret = nfc_rt_lists_push(l, 1, &e, 8);
	CHECK(4, full_ret == -28); /* ENOSPC: all 6 slots in use */
	CHECK(5, nfc_rt_lists_len(l, 0) == 3 && nfc_rt_lists_len(l, 2) == 3 &&
		     nfc_rt_lists_len(l, 1) == 0 && nfc_rt_lists_len(l, 4) == -22);
	CHECK(6, nfc_rt_lists_peek(l, 0, &e, 8) == 0 && e == 1);
	CHECK(7, nfc_rt_lists_pop(l, 0, &e, 8) == 0 && e == 1);
	CHECK(8, nfc_rt_lists_pop(l, 0, &e, 8) == 0 && e == 2);
	e = 99;
	CHECK(9, nfc_rt_lists_push(l, 1, &e, 8) == 0); /* a freed slot is reused */
	CHECK(10, nfc_rt_lists_pop(l, 1, &e, 8) == 0 && e == 99);
	CHECK(11, nfc_rt_lists_pop(l, 1, &e, 8) == -2 && nfc_rt_lists_peek(l, 3, &e, 8) == -2);
	CHECK(12, nfc_rt_lists_push(l, 1, &e, 4) == -22 && nfc_rt_lists_push(l, 4, &e, 8) == -22);
	popped_sum = 0;
	for (int i = 0; i < 4; i++) /* 3 elements, then -ENOENT */
		if (nfc_rt_lists_pop(l, 2, &e, 8) == 0)
			popped_sum = popped_sum * 100 + e; /* FIFO: 11, 12, 13 */
	CHECK(13, popped_sum == 111213);

	/* keep it in the map; the map's free runs the destructor */
	h = bpf_map_lookup_elem(&lists_map, &zero);
	if (!h) {
		nfc_rt_lists_release(l);
		return 0;
	}
	old = bpf_kptr_xchg(&h->l, l);
	if (old)
		nfc_rt_lists_release(old);
	/* take it out again, use it, put it back */
	l = bpf_kptr_xchg(&h->l, NULL);
	if (!l) {
		CHECK(14, 0);
		return 0;
	}
	e = 5;
	CHECK(14, nfc_rt_lists_push(l, 3, &e, 8) == 0 && nfc_rt_lists_len(l, 3) == 1 &&
		      nfc_rt_lists_len(l, 0) == 1);
	old = bpf_kptr_xchg(&h->l, l);
	if (old)
		nfc_rt_lists_release(old);
	stored = 1;
	return 0;
}

SEC("xdp")
int xdp_lists(struct xdp_md *ctx)
{
	lists_checks();
	return XDP_PASS;
}

SEC("tc")
int tc_lists(struct __sk_buff *skb)
{
	lists_checks();
	return 0;
}
