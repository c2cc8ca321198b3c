// SPDX-License-Identifier: GPL-2.0
/*
 * pq.bpf.c — per-call instruction counts (vm/icount.sh) of the queue blocks: one push and one
 * pop of a 16-byte element (taken from the packet) per run, kmod against pure.
 *   pq{64,4096}_pure   stdlib nf_pq_push + nf_pq_pop_min (per-rank lists through one slot pool,
 *                      cFFS bitmap, de Bruijn ctz) on one ARRAY value, what nfc's pure backend
 *                      emits for a per_cpu queue (no lock; 4096 ranks need > 32 KiB, so ARRAY)
 *   pq{64,4096}_kmod   what the kmod backend emits (compiler/blocks/kmod/queues.ts): the list
 *                      object out of its map kptr, nfc_rt_lists_push + nfc_rt_lists_pop_first,
 *                      back in (two bpf_kptr_xchg per operation)
 *   fifo_pure/_kmod    nf_fifo_push + nf_fifo_pop on a ring / nfc_rt_lists_push + _pop, 1 list
 * The element goes to the highest rank (P - 1) of an otherwise empty queue, so pop-min searches
 * the whole bitmap on both sides. Compiled with -DNFC_RT_KPTR_REF_TAG for 6.1 (initramfs/build.sh).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define CAP 64
#define ESZ 16

struct el { __u64 w[2]; };

#define PQ_VALUE(P, L)                                                                      \
	struct pq##P {                                                                      \
		__u32 lock_unused;                                                          \
		struct nf_pq_hdr hdr;                                                       \
		__u32 head[P], tail[P], next[CAP];                                          \
		__u64 bm[NF_CFFS_WORDS(L)];                                                 \
		struct el elem[CAP];                                                        \
	};                                                                                  \
	struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1);                  \
		 __type(key, __u32); __type(value, struct pq##P); } pure##P SEC(".maps")

PQ_VALUE(64, 1);
PQ_VALUE(4096, 2);

struct ring { __u32 lock_unused; struct nf_fifo_hdr hdr; __u32 pad; struct el elem[CAP]; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct ring); } pure_fifo SEC(".maps");

struct kq { struct nfc_rt_lists __nfc_kptr *l; __u64 made; };
#define KQ_MAP(name)                                                                        \
	struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1);                  \
		 __type(key, __u32); __type(value, struct kq); } name SEC(".maps")
KQ_MAP(k64);
KQ_MAP(k4096);
KQ_MAP(kfifo);

static __always_inline int elem_of(struct xdp_md *ctx, struct el *e)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + ESZ > end)
		return -1;
	__builtin_memcpy(e, data + 14, ESZ);
	return 0;
}

#define PQ_PURE(P, L)                                                                       \
	SEC("xdp") int pq##P##_pure(struct xdp_md *ctx)                                     \
	{                                                                                   \
		struct el e, out = {};                                                      \
		__u32 zero = 0;                                                             \
		struct pq##P *q;                                                            \
                                                                                            \
		if (elem_of(ctx, &e))                                                       \
			return XDP_ABORTED;                                                 \
		q = bpf_map_lookup_elem(&pure##P, &zero);                                   \
		if (!q)                                                                     \
			return XDP_ABORTED;                                                 \
		if (!nf_pq_push(&q->hdr, q->head, q->tail, q->next, q->bm, q->elem, ESZ, P, \
				CAP, L, P - 1, &e))                                         \
			return XDP_DROP;                                                    \
		if (!nf_pq_pop_min(&q->hdr, q->head, q->tail, q->next, q->bm, q->elem, ESZ, \
				   P, CAP, L, &out) || out.w[0] != e.w[0])                  \
			return XDP_DROP;                                                    \
		return XDP_PASS;                                                            \
	}

PQ_PURE(64, 1)
PQ_PURE(4096, 2)

SEC("xdp") int fifo_pure(struct xdp_md *ctx)
{
	struct el e, out = {};
	__u32 zero = 0;
	struct ring *q;

	if (elem_of(ctx, &e))
		return XDP_ABORTED;
	q = bpf_map_lookup_elem(&pure_fifo, &zero);
	if (!q)
		return XDP_ABORTED;
	if (!nf_fifo_push(&q->hdr, q->elem, ESZ, CAP, &e))
		return XDP_DROP;
	if (!nf_fifo_pop(&q->hdr, q->elem, ESZ, CAP, &out) || out.w[0] != e.w[0])
		return XDP_DROP;
	return XDP_PASS;
}

/* The kmod backend's take-out / create-on-first-use / put-back around one kfunc call. */
static __always_inline struct nfc_rt_lists *take(struct kq *kq, __u32 nlists)
{
	struct nfc_rt_lists *l = bpf_kptr_xchg(&kq->l, NULL);

	if (!l && __sync_val_compare_and_swap(&kq->made, 0, 1) == 0) {
		l = nfc_rt_lists_new(nlists, ESZ, CAP);
		if (!l)
			kq->made = 0;
	}
	return l;
}

static __always_inline void put(struct kq *kq, struct nfc_rt_lists *l)
{
	l = bpf_kptr_xchg(&kq->l, l);
	if (l)
		nfc_rt_lists_release(l);
}

#define Q_KMOD(name, map, P, POP)                                                           \
	SEC("xdp") int name(struct xdp_md *ctx)                                             \
	{                                                                                   \
		struct el e, out = {};                                                      \
		struct nfc_rt_lists *l;                                                     \
		__u32 zero = 0;                                                             \
		struct kq *kq;                                                              \
		int ok;                                                                     \
                                                                                            \
		if (elem_of(ctx, &e))                                                       \
			return XDP_ABORTED;                                                 \
		kq = bpf_map_lookup_elem(&map, &zero);                                      \
		if (!kq)                                                                    \
			return XDP_ABORTED;                                                 \
		l = take(kq, P);                                                            \
		if (!l)                                                                     \
			return XDP_ABORTED;                                                 \
		ok = nfc_rt_lists_push(l, P - 1, &e, ESZ) == 0;                             \
		put(kq, l);                                                                 \
		l = take(kq, P);                                                            \
		if (!l)                                                                     \
			return XDP_ABORTED;                                                 \
		ok = ok && POP >= 0;                                                        \
		put(kq, l);                                                                 \
		return ok && out.w[0] == e.w[0] ? XDP_PASS : XDP_DROP;                      \
	}

Q_KMOD(pq64_kmod, k64, 64, nfc_rt_lists_pop_first(l, 0, 64, &out, ESZ))
Q_KMOD(pq4096_kmod, k4096, 4096, nfc_rt_lists_pop_first(l, 0, 4096, &out, ESZ))
Q_KMOD(fifo_kmod, kfifo, 1, nfc_rt_lists_pop(l, 0, &out, ESZ))

char LICENSE[] SEC("license") = "GPL";
