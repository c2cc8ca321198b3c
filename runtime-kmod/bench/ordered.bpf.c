// SPDX-License-Identifier: GPL-2.0
/*
 * ordered.bpf.c — ordered<u64, u64>(capacity = 16, per_cpu) per operation, kmod vs pure
 * (vm/icount.sh), with the skip list REALLY holding 4 / 8 / 15 keys. Geometry: 4 levels, 24-byte
 * pure nodes (one 424-byte PERCPU_ARRAY arena); kmod: one nfc_rt_mem container of 16-byte nodes
 * with 4 edges in a PERCPU_ARRAY holder. Both are exactly what nfc emits for that table
 * (nf/ordered.h nf_ord_get/nf_ord_put/nf_ord_del; nf/ordered_kmod.h nf_ordk_*). Capacity 16 is
 * the largest the kmod lowering takes (KMOD_ORDERED_MAX_LEVELS = 4: at 9 levels one kmod walk
 * already exceeds the verifier's 1M instructions on 6.1).
 *
 *   ord<F>_get_<be>     one get of a present key per run (key_of(run % F): all keys in turn)
 *   ord<F>_ins_<be>     insert a fresh key, then remove it: the list is unchanged
 *   ord<F>_base_<be>    the same program without the operation (fill + key choice)
 *
 * The first run of any program of a (F, backend) pair fills its table (bpf_loop inserting
 * key_of(0..F-1), random order) and records `filled_<F>_<be>` in .bss (printed by nfc-loader).
 * Per operation = program − base, exactly (the fill is paid once in both; means of 1000 runs).
 * One operation per program: the kmod walk is verifier-heavy (33 moves per level).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define CAP 16u
#define LEVELS 4u
#define SEED 0x0bd3eedULL
#define GEO NF_ORD_GEO(CAP, LEVELS, 24, 8, 1, 8, 8, 16, 0)

struct onode {
	__u64 key, value;
	__u16 next[LEVELS];
} __attribute__((aligned(8)));

struct oarena {
	__u32 lock_unused;
	__u16 free, used, head, _pad[3];
	struct onode node[CAP + 1];
};

_Static_assert(sizeof(struct onode) == 24, "pure node = lang/blocks/ordered.ts orderedLayout");

static __always_inline __u64 key_of(__u32 i)
{
	return (__u64)(i + 1) * 0x9e3779b97f4a7c15ULL;
}

static __always_inline int put_pure(void *map, __u64 k, __u64 v)
{
	return nf_ord_put(map, GEO, &k, &v, SEED);
}
static __always_inline int put_kmod(void *map, __u64 k, __u64 v)
{
	return nf_ordk_put_kv(map, GEO, &k, &v, SEED);
}
static __always_inline int get_pure(void *map, __u64 k)
{
	return nf_ord_get(map, GEO, &k, 0) != NULL;
}
static __always_inline int get_kmod(void *map, __u64 k)
{
	__u64 out = 0;

	return nf_ordk_get(map, GEO, &k, 0, &out);
}
static __always_inline int del_pure(void *map, __u64 k)
{
	return nf_ord_del(map, GEO, &k);
}
static __always_inline int del_kmod(void *map, __u64 k)
{
	return nf_ordk_del(map, GEO, &k);
}

#define VALUE_pure struct oarena
#define VALUE_kmod struct nf_ordk_holder

/* One table, its fill callback and its three programs per (fill, backend). */
#define ORD_BENCH(F, BE)                                                                           \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, VALUE_##BE);                                                         \
	} o##F##_##BE SEC(".maps");                                                                \
	__u32 filled_##F##_##BE, hits_##F##_##BE, done_##F##_##BE, runs_##F##_##BE;               \
	static long fill_##F##_##BE(__u32 i, void *unused)                                         \
	{                                                                                          \
		filled_##F##_##BE += put_##BE(&o##F##_##BE, key_of(i), i);                         \
		return 0;                                                                          \
	}                                                                                          \
	static __always_inline void fill_once_##F##_##BE(void)                                    \
	{                                                                                          \
		if (!done_##F##_##BE) {                                                            \
			done_##F##_##BE = 1;                                                       \
			bpf_loop(F, fill_##F##_##BE, NULL, 0);                                     \
		}                                                                                  \
	}                                                                                          \
	SEC("xdp") int ord##F##_get_##BE(struct xdp_md *ctx)                                       \
	{                                                                                          \
		fill_once_##F##_##BE();                                                            \
		hits_##F##_##BE += get_##BE(&o##F##_##BE, key_of(runs_##F##_##BE++ % F));          \
		return XDP_PASS;                                                                   \
	}                                                                                          \
	SEC("xdp") int ord##F##_ins_##BE(struct xdp_md *ctx)                                       \
	{                                                                                          \
		__u64 k = key_of(100000 + runs_##F##_##BE++ % F);                                 \
                                                                                                   \
		fill_once_##F##_##BE();                                                            \
		hits_##F##_##BE += put_##BE(&o##F##_##BE, k, 1);                                   \
		hits_##F##_##BE += del_##BE(&o##F##_##BE, k);                                      \
		return XDP_PASS;                                                                   \
	}                                                                                          \
	SEC("xdp") int ord##F##_base_##BE(struct xdp_md *ctx)                                      \
	{                                                                                          \
		fill_once_##F##_##BE();                                                            \
		hits_##F##_##BE += (__u32)key_of(runs_##F##_##BE++ % F) & 1;                       \
		return XDP_PASS;                                                                   \
	}

ORD_BENCH(4, pure)
ORD_BENCH(8, pure)
ORD_BENCH(15, pure)
ORD_BENCH(4, kmod)
ORD_BENCH(8, kmod)
ORD_BENCH(15, kmod)

char LICENSE[] SEC("license") = "GPL";
