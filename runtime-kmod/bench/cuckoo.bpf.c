// SPDX-License-Identifier: GPL-2.0
/*
 * cuckoo.bpf.c — cuckoo lookups per call, kmod vs pure (vm/icount.sh), with the table REALLY
 * filled to 25/50/75/100 % of its 1024 slots (64 buckets of 16 lanes, 16-byte key, u64 value:
 * the layout of nf/cuckoo.h and nfc_rt_bucket_lookup, 416-byte buckets).
 *
 *   cuckoo<L>_pure       nf_hash64 placement; per lookup nf_hash64 + nf_cuckoo_get (SWAR)
 *   cuckoo<L>_kmod       CRC-32C placement; per lookup nfc_rt_crc32c + nfc_rt_bucket_lookup
 *                        on b1, then b2 when absent (what nfc's kmod lowering emits)
 *   cuckoo<L>_*_base     the same program without the lookups (fill + key loop)
 *
 * The first run of each program fills its own fresh table (bpf_loop over candidate keys
 * key_of(0), key_of(1), …; nf_cuckoo_insert_at with max_kicks 8; a refused key is skipped) until
 * L % of the slots hold a key, and records `filled_*` (keys placed) and `tried_*` (candidates
 * used) in .bss, which nfc-loader prints: the fill is checked from the result line. Every run
 * then looks up LOOKUPS keys key_of((run * LOOKUPS + j) % tried): the placed ones hit, the skipped
 * ones miss (`hits_*` counts them). Under -icount the fill of run 1 costs the same in a program and
 * its _base twin, so per lookup = (program − base) / LOOKUPS, exactly.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define NB 64u
#define CAP (NB * NF_CUCKOO_LANES)
#define KICKS 8u
#define SEED 0x5eedULL
#define LOOKUPS 32u
#define MAX_CANDIDATES 65536u

struct ckey {
	__u64 a, b;
};
struct cslot {
	struct ckey key;
	__u64 value;
};
struct cbucket {
	__u16 sig[16];
	struct cslot slot[16];
};

static __always_inline void key_of(__u32 i, struct ckey *k)
{
	k->a = (__u64)i * 0x9e3779b97f4a7c15ULL ^ 0x0123456789abcdefULL;
	k->b = i;
}

static __always_inline void place_pure(const struct ckey *k, __u32 *b1, __u32 *sig)
{
	__u64 h = nf_hash64(k, sizeof(*k), SEED);

	*b1 = nf_cuckoo_b1(h, NB - 1);
	*sig = nf_cuckoo_sig(h);
}

static __always_inline void place_kmod(const struct ckey *k, __u32 *b1, __u32 *sig)
{
	__u32 c = nfc_rt_crc32c((__u32)SEED, k, sizeof(*k));

	*b1 = c & (NB - 1);
	*sig = nf_cuckoo_crc_sig(c);
}

static __always_inline int lookup_pure(void *map, const struct ckey *k)
{
	__u32 b1, sig;

	place_pure(k, &b1, &sig);
	return nf_cuckoo_get(map, NB - 1, b1, sig, k, 16, 8, 8, 8) != NULL;
}

static __always_inline int lookup_kmod(void *map, const struct ckey *k)
{
	__u32 b1, sig;
	void *bk;
	int lane;

	place_kmod(k, &b1, &sig);
	bk = nf_cuckoo_bucket(map, b1);
	lane = bk ? nfc_rt_bucket_lookup(bk, sizeof(struct cbucket), k, sizeof(*k), sig) : -1;
	if (lane < 0) {
		bk = nf_cuckoo_bucket(map, nf_cuckoo_alt(b1, sig, NB - 1));
		lane = bk ? nfc_rt_bucket_lookup(bk, sizeof(struct cbucket), k, sizeof(*k), sig) : -1;
	}
	return nf_cuckoo_value_at(bk, lane, 16, 8, 8, 8) != NULL;
}

struct fill_ctx {
	__u32 target, count, tried;
};

/* One table, its fill callback and its two programs per (load, backend). */
#define CUCKOO_BENCH(L, BE)                                                                        \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_ARRAY);                                                  \
		__uint(max_entries, NB);                                                           \
		__type(key, __u32);                                                                \
		__type(value, struct cbucket);                                                     \
	} t##L##_##BE SEC(".maps");                                                                \
	__u32 filled_##L##_##BE, tried_##L##_##BE, hits_##L##_##BE, runs_##L##_##BE;              \
	static long fill_##L##_##BE(__u32 i, struct fill_ctx *c)                                   \
	{                                                                                          \
		struct ckey k;                                                                     \
		__u32 b1, sig;                                                                     \
		__u64 v = i;                                                                       \
                                                                                                   \
		key_of(i, &k);                                                                     \
		place_##BE(&k, &b1, &sig);                                                         \
		if (nf_cuckoo_insert_at(&t##L##_##BE, NB - 1, KICKS, b1, sig, NULL, -1, &k, 16, 8,  \
					&v, 8, 8))                                                 \
			c->count++;                                                                \
		c->tried = i + 1;                                                                  \
		return c->count >= c->target;                                                      \
	}                                                                                          \
	static __always_inline __u32 fill_once_##L##_##BE(void)                                   \
	{                                                                                          \
		struct fill_ctx c = { .target = CAP * (L) / 100 };                                 \
                                                                                                   \
		if (!tried_##L##_##BE) {                                                           \
			bpf_loop(MAX_CANDIDATES, fill_##L##_##BE, &c, 0);                          \
			filled_##L##_##BE = c.count;                                               \
			tried_##L##_##BE = c.tried ? c.tried : 1;                                  \
		}                                                                                  \
		return tried_##L##_##BE;                                                           \
	}                                                                                          \
	SEC("xdp") int cuckoo##L##_##BE(struct xdp_md *ctx)                                        \
	{                                                                                          \
		__u32 tried = fill_once_##L##_##BE(), base = runs_##L##_##BE++ * LOOKUPS, j;       \
		struct ckey k;                                                                     \
                                                                                                   \
		for (j = 0; j < LOOKUPS; j++) {                                                    \
			key_of((base + j) % tried, &k);                                            \
			hits_##L##_##BE += lookup_##BE(&t##L##_##BE, &k);                          \
		}                                                                                  \
		return XDP_PASS;                                                                   \
	}                                                                                          \
	SEC("xdp") int cuckoo##L##_##BE##_base(struct xdp_md *ctx)                                 \
	{                                                                                          \
		__u32 tried = fill_once_##L##_##BE(), base = runs_##L##_##BE++ * LOOKUPS, j;       \
		struct ckey k;                                                                     \
                                                                                                   \
		for (j = 0; j < LOOKUPS; j++) {                                                    \
			key_of((base + j) % tried, &k);                                            \
			hits_##L##_##BE += (__u32)k.a & 1;                                         \
		}                                                                                  \
		return XDP_PASS;                                                                   \
	}

CUCKOO_BENCH(25, pure)
CUCKOO_BENCH(50, pure)
CUCKOO_BENCH(75, pure)
CUCKOO_BENCH(100, pure)
CUCKOO_BENCH(25, kmod)
CUCKOO_BENCH(50, kmod)
CUCKOO_BENCH(75, kmod)
CUCKOO_BENCH(100, kmod)

char LICENSE[] SEC("license") = "GPL";
