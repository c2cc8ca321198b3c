// SPDX-License-Identifier: GPL-2.0
/*
 * mem.bpf.c — the memory wrapper: a 3-node doubly linked list built through named slots,
 * traversal by following edges, unowning the middle node (its edges and slot cleared; the stale
 * edge from the head then follows to NULL: no use after unown), the max_nodes bound, argument
 * checks; then the container is kept in a map value (kptr) and destroyed with the map.
 */
#include "selftest.h"

struct holder {
	struct nfc_rt_mem __nfc_kptr *m;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct holder);
} mem_map SEC(".maps");

__u64 walk, count_after, extra_nodes;

enum { NEXT = 0, PREV = 1 };

static __always_inline int make(struct nfc_rt_mem *m, __u32 slot, __u64 tag)
{
	struct nfc_rt_node *n = nfc_rt_node_new(m);
	int r;

	if (!n)
		return -1;
	r = nfc_rt_node_store(n, 0, &tag, 8) | nfc_rt_node_park(n, slot);
	nfc_rt_node_release(n);
	return r;
}

static __always_inline int link(struct nfc_rt_mem *m, __u32 from, __u32 edge, __u32 to)
{
	struct nfc_rt_node *n = nfc_rt_mem_slot(m, from);
	int r;

	if (!n)
		return -1;
	r = nfc_rt_node_connect(n, edge, to);
	nfc_rt_node_release(n);
	return r;
}

static __always_inline __u64 tag_of(struct nfc_rt_node *n)
{
	__u64 t = 0;

	nfc_rt_node_load(n, 0, &t, 8);
	return t;
}

/* 1 if @n is NULL; releases it otherwise (a kfunc result compared with NULL must not leak) */
static __always_inline int null_or_drop(struct nfc_rt_node *n)
{
	if (!n)
		return 1;
	nfc_rt_node_release(n);
	return 0;
}

static __always_inline int mem_checks(void)
{
	struct nfc_rt_node *a, *b, *x, *y;
	struct nfc_rt_mem *m, *old;
	struct holder *h;
	__u32 zero = 0;

	CHECK(0, 1);
	m = nfc_rt_mem_new(16, 2, 8);
	if (!m) {
		CHECK(1, 0);
		return 0;
	}
	CHECK(1, make(m, 0, 'A') == 0 && make(m, 1, 'B') == 0 && make(m, 2, 'C') == 0);
	CHECK(2, link(m, 0, NEXT, 1) == 0 && link(m, 1, NEXT, 2) == 0 && link(m, 1, PREV, 0) == 0 &&
		     link(m, 2, PREV, 1) == 0);
	CHECK(3, nfc_rt_mem_count(m) == 3);

	/* walk A -> B -> C -> NULL */
	walk = 0;
	a = nfc_rt_mem_slot(m, 0);
	if (a) {
		walk = tag_of(a);
		x = nfc_rt_node_follow(a, NEXT);
		if (x) {
			walk = walk << 8 | tag_of(x);
			y = nfc_rt_node_follow(x, NEXT);
			if (y) {
				walk = walk << 8 | tag_of(y);
				CHECK(4, null_or_drop(nfc_rt_node_follow(y, NEXT)));
				struct nfc_rt_node *back = nfc_rt_node_follow(y, PREV);

				if (back) {
					walk = walk << 8 | tag_of(back);
					nfc_rt_node_release(back);
				}
				nfc_rt_node_release(y);
			}
			nfc_rt_node_release(x);
		}
		/* bad indices */
		CHECK(5, null_or_drop(nfc_rt_node_follow(a, 2)));
		CHECK(6, nfc_rt_node_connect(a, 5, 0) == -22 && nfc_rt_node_park(a, 8) == -22 &&
			     nfc_rt_node_connect(a, NEXT, 7) == -2);
		__u64 big[3] = {};
		CHECK(7, nfc_rt_node_load(a, 8, big, 16) == -22 && nfc_rt_node_load(a, 8, big, 8) == 0);
		nfc_rt_node_release(a);
	}
	CHECK(8, walk == ('A' << 24 | 'B' << 16 | 'C' << 8 | 'B'));

	/* unown B */
	b = nfc_rt_mem_slot(m, 1);
	if (!b) {
		CHECK(9, 0);
	} else {
		CHECK(9, nfc_rt_node_unown(b) == 0 && nfc_rt_node_unown(b) == -116);
		x = nfc_rt_node_follow(b, NEXT); /* its own edges were cleared */
		CHECK(10, x == NULL);
		if (x)
			nfc_rt_node_release(x);
		CHECK(11, tag_of(b) == 'B'); /* still readable while referenced */
		CHECK(12, nfc_rt_node_park(b, 3) == -116 && nfc_rt_node_connect(b, NEXT, 0) == -116);
		nfc_rt_node_release(b);
	}
	count_after = nfc_rt_mem_count(m);
	CHECK(13, count_after == 2);
	x = nfc_rt_mem_slot(m, 1);
	CHECK(14, x == NULL); /* the slot holding B was cleared */
	if (x)
		nfc_rt_node_release(x);
	a = nfc_rt_mem_slot(m, 0);
	if (a) {
		x = nfc_rt_node_follow(a, NEXT); /* stale edge to B: NULL, and cleared */
		CHECK(15, x == NULL);
		if (x)
			nfc_rt_node_release(x);
		CHECK(16, nfc_rt_node_disconnect(a, NEXT) == 0);
		CHECK(17, link(m, 0, NEXT, 2) == 0 && nfc_rt_node_disconnect(a, NEXT) == 1);
		nfc_rt_node_release(a);
	}

	/* max_nodes = 8: 6 more fit */
	extra_nodes = 0;
	for (int i = 0; i < 10; i++) {
		x = nfc_rt_node_new(m);
		if (!x)
			break;
		extra_nodes++;
		nfc_rt_node_release(x);
	}
	CHECK(18, extra_nodes == 6 && nfc_rt_mem_count(m) == 8);
	CHECK(19, nfc_rt_mem_clear(m, 2) == 0 && nfc_rt_mem_clear(m, 8) == -22);

	/* keep it in the map: the destructor unowns and frees every node with the map */
	h = bpf_map_lookup_elem(&mem_map, &zero);
	if (!h) {
		nfc_rt_mem_release(m);
		return 0;
	}
	old = bpf_kptr_xchg(&h->m, m);
	if (old)
		nfc_rt_mem_release(old);
	return 0;
}

SEC("xdp")
int xdp_mem(struct xdp_md *ctx)
{
	mem_checks();
	return XDP_PASS;
}

SEC("tc")
int tc_mem(struct __sk_buff *skb)
{
	mem_checks();
	return 0;
}
