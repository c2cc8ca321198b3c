// SPDX-License-Identifier: GPL-2.0
/*
 * timer_wheel.bpf.c — per-call instruction counts (vm/icount.sh) of a Carousel timing wheel's
 * per-packet work, one pop_due(now) then one schedule(now + 32 µs, flow), kmod against pure,
 * written as nfc lowers each (compiler/blocks/timer-wheel.ts, compiler/blocks/kmod/timer-wheel.ts):
 * every operation looks its map value up again, and a shared wheel serialises each operation.
 *   wheel<S>_pure   one ARRAY value holding the whole wheel (nf/wheel.h), bpf_spin_lock per op
 *   wheel<S>_kmod   one nfc_rt_lists object (S lists) as a kptr beside nf_wheel_k; per op
 *                   bpf_kptr_xchg out, one kfunc (push / pop_first), bpf_kptr_xchg back
 * S = 64 (one bitmap word) and 512 (two cFFS levels), tick 512 ns, capacity 128, 16-byte elements.
 * Time is a per-program .bss clock advanced 1000 ns per run, so each run schedules one element
 * 64 ticks ahead and, once 32 runs have passed, pops exactly one due element (steady state: 32
 * elements on the wheel). popped_* (printed from .bss) shows both sides did the same work.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define TICK 512
#define CAP 128
#define AHEAD 32000

struct tw_elem { __u32 src, dst; __u16 sport, dport; __u8 proto, pad[3]; };
struct tw_node { struct tw_elem v; __u32 next; };

#define TW_VALUE(S)                                                                                \
	struct tw_wheel##S {                                                                       \
		struct bpf_spin_lock lock;                                                         \
		__u32 _pad0;                                                                       \
		struct nf_wheel w;                                                                 \
		__u64 bits[NF_WHEEL_WORDS(S)];                                                     \
		__u32 head[S], tail[S];                                                            \
		struct tw_node node[CAP];                                                          \
	};                                                                                         \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_ARRAY);                                                  \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct tw_wheel##S);                                                 \
	} twp##S SEC(".maps");                                                                     \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_ARRAY);                                                  \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct tw_kw);                                                       \
	} twk##S SEC(".maps")

struct tw_kw {
	struct nfc_rt_lists __nfc_kptr *l;
	struct nf_wheel_k k;
};

TW_VALUE(64);
TW_VALUE(512);

__u64 clock_pure64, clock_kmod64, clock_pure512, clock_kmod512;
__u64 popped_pure64, popped_kmod64, popped_pure512, popped_kmod512;

#define TW_PURE(S)                                                                                 \
	SEC("xdp")                                                                                 \
	int wheel##S##_pure(struct xdp_md *ctx)                                                    \
	{                                                                                          \
		struct tw_elem e = { .src = 1, .dst = 2, .proto = 17 }, out;                       \
		__u64 now = clock_pure##S += 1000;                                                 \
		struct tw_wheel##S *q;                                                             \
		__u32 zero = 0;                                                                    \
		bool ok = false;                                                                   \
                                                                                                   \
		q = bpf_map_lookup_elem(&twp##S, &zero);                                           \
		if (q) {                                                                           \
			bpf_spin_lock(&q->lock);                                                   \
			ok = nf_wheel_pop_due(&q->w, S, TICK, CAP, sizeof(struct tw_node),         \
					      sizeof(e), now, &out);                               \
			bpf_spin_unlock(&q->lock);                                                 \
		}                                                                                  \
		popped_pure##S += ok;                                                              \
		q = bpf_map_lookup_elem(&twp##S, &zero);                                           \
		if (q) {                                                                           \
			bpf_spin_lock(&q->lock);                                                   \
			ok = nf_wheel_schedule(&q->w, S, TICK, CAP, sizeof(struct tw_node),        \
					       sizeof(e), now + AHEAD, &e);                        \
			bpf_spin_unlock(&q->lock);                                                 \
		}                                                                                  \
		return ok ? XDP_PASS : XDP_DROP;                                                   \
	}

/* Take the object out of the holder (creating it on first use); NULL if it cannot be had. */
static __always_inline struct nfc_rt_lists *tw_take(struct tw_kw *kw, __u32 slots)
{
	struct nfc_rt_lists *l = bpf_kptr_xchg(&kw->l, NULL);

	if (!l && __sync_val_compare_and_swap(&kw->k.made, 0, 1) == 0) {
		l = nfc_rt_lists_new(slots, sizeof(struct tw_elem), CAP);
		if (!l)
			kw->k.made = 0;
	}
	return l;
}

static __always_inline void tw_put(struct tw_kw *kw, struct nfc_rt_lists *l)
{
	l = bpf_kptr_xchg(&kw->l, l);
	if (l)
		nfc_rt_lists_release(l);
}

#define TW_KMOD(S)                                                                                 \
	SEC("xdp")                                                                                 \
	int wheel##S##_kmod(struct xdp_md *ctx)                                                    \
	{                                                                                          \
		struct tw_elem e = { .src = 1, .dst = 2, .proto = 17 }, out;                       \
		__u64 now = clock_kmod##S += 1000;                                                 \
		struct nfc_rt_lists *l;                                                            \
		struct tw_kw *kw;                                                                  \
		__u32 zero = 0;                                                                    \
		bool ok = false;                                                                   \
		__s32 r;                                                                           \
                                                                                                   \
		kw = bpf_map_lookup_elem(&twk##S, &zero);                                          \
		if (kw) {                                                                          \
			l = tw_take(kw, S);                                                        \
			if (l) {                                                                   \
				r = nfc_rt_lists_pop_first(l, (__u32)kw->k.base & (S - 1),         \
							   nf_wheel_k_due(&kw->k, S, TICK, now),   \
							   &out, sizeof(out));                     \
				nf_wheel_k_popped(&kw->k, S, TICK, now, r);                        \
				ok = r >= 0;                                                       \
				tw_put(kw, l);                                                     \
			}                                                                          \
		}                                                                                  \
		popped_kmod##S += ok;                                                              \
		ok = false;                                                                        \
		kw = bpf_map_lookup_elem(&twk##S, &zero);                                          \
		if (kw) {                                                                          \
			l = tw_take(kw, S);                                                        \
			if (l) {                                                                   \
				r = nf_wheel_k_slot(&kw->k, S, TICK, CAP, now + AHEAD);            \
				ok = r >= 0 && nfc_rt_lists_push(l, (__u32)r, &e, sizeof(e)) == 0; \
				if (ok)                                                            \
					kw->k.len++;                                               \
				tw_put(kw, l);                                                     \
			}                                                                          \
		}                                                                                  \
		return ok ? XDP_PASS : XDP_DROP;                                                   \
	}

TW_PURE(64)
TW_KMOD(64)
TW_PURE(512)
TW_KMOD(512)

char LICENSE[] SEC("license") = "GPL";
