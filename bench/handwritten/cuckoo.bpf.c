// SPDX-License-Identifier: GPL-2.0
/* Hand-written blocked cuckoo lookup (XDP), the twin of bench/nf/cuckoo_lookup.nf: drop the packet
 * when its 5-tuple is in the table, else pass. The table is what a kernel engineer writes by hand:
 * an ARRAY of NBUCKETS buckets, each 16 u16 signatures (0 = empty) and 16 slots of
 * { 5-tuple, u32 value }; a key lives in bucket b1 = h & mask or b2 = b1 ^ (sig * 0x5bd1e995) & mask
 * (partial-key cuckoo), with h a seeded jhash of the tuple and sig = h >> 16 (0 → 1). A lookup
 * loops over the 16 lanes comparing signatures, then the full key. The control plane fills the
 * table (bench/cuckoo.ts models the placement); the program only reads it. NBUCKETS from -D. */
#include "hw.h"

#ifndef NBUCKETS
#error "compile with -DNBUCKETS=<power of two>"
#endif

struct slot {
	struct hw_tuple key;
	__u32 value;
};

struct bucket {
	__u16 sig[16];
	struct slot slot[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NBUCKETS);
	__type(key, __u32);
	__type(value, struct bucket);
} tbl SEC(".maps");

static __always_inline int in_bucket(__u32 b, __u16 sig, const struct hw_tuple *t)
{
	struct bucket *bk = bpf_map_lookup_elem(&tbl, &b);

	if (!bk)
		return 0;
	for (int i = 0; i < 16; i++) {
		if (bk->sig[i] != sig)
			continue;
		struct hw_tuple *k = &bk->slot[i].key;
		if (k->src == t->src && k->dst == t->dst && k->ports == t->ports && k->proto == t->proto)
			return 1;
	}
	return 0;
}

SEC("xdp")
int cuckoo_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;
	if (!hw_parse(ctx, &t))
		return XDP_PASS;

	__u32 h = hw_jhash_tuple(&t, HW_SEED(0));
	__u16 sig = h >> 16 ? h >> 16 : 1;
	__u32 b1 = h & (NBUCKETS - 1);
	if (in_bucket(b1, sig, &t) || in_bucket((b1 ^ (sig * 0x5bd1e995u)) & (NBUCKETS - 1), sig, &t))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
