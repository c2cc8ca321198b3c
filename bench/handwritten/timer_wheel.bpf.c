// SPDX-License-Identifier: GPL-2.0
/* Hand-written timing wheel (XDP), what one writes without nfc: SLOTS slots of TICK ns, each a
 * ring of DEPTH 5-tuples (capacity SLOTS * DEPTH, spread evenly), in one PERCPU_ARRAY value. Every
 * IPv4 packet pops one due element — the cursor scans the slots linearly from its position up to
 * now (at most SLOTS steps) — then schedules its flow at now + (dst & 1023) µs; dropped when the
 * slot's ring is full or the time is beyond the horizon. The logical twin of bench/nf/wheel.nf
 * (there the pool is shared by all slots, so "full" differs under uneven load). */
#include "hw.h"

#ifndef SLOTS
#define SLOTS 1024
#endif
#ifndef TICK
#define TICK 1024
#endif
#ifndef DEPTH
#define DEPTH 4
#endif

struct wheel {
	__u64 base;
	__u32 len;
	__u32 released;
	__u8 head[SLOTS];
	__u8 cnt[SLOTS];
	struct hw_tuple ent[SLOTS][DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wheel);
} wheel SEC(".maps");

static __always_inline void pop_due(struct wheel *w, __u64 now)
{
	__u64 nt = now / TICK;

	for (__u32 i = 0; i < SLOTS; i++) {
		__u64 t = w->base + i;
		__u32 s = t & (SLOTS - 1);

		if (t > nt)
			break;
		if (w->cnt[s]) {
			w->head[s] = (w->head[s] + 1) % DEPTH;
			w->cnt[s]--;
			w->len--;
			w->released++;
			w->base = t;
			return;
		}
	}
	if (nt > w->base)
		w->base = nt;
}

static __always_inline int schedule(struct wheel *w, __u64 at, const struct hw_tuple *v)
{
	__u64 t = at / TICK;
	__u32 s, i;

	if (t < w->base)
		t = w->base;
	if (t - w->base >= SLOTS)
		return 0;
	s = t & (SLOTS - 1);
	if (w->cnt[s] >= DEPTH)
		return 0;
	i = (w->head[s] + w->cnt[s]) % DEPTH;
	w->ent[s][i] = *v;
	w->cnt[s]++;
	w->len++;
	return 1;
}

SEC("xdp")
int wheel_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;
	__u32 zero = 0;
	struct wheel *w;
	__u64 now;

	if (!hw_parse(ctx, &t))
		return XDP_PASS;
	w = bpf_map_lookup_elem(&wheel, &zero);
	if (!w)
		return XDP_PASS;
	now = bpf_ktime_get_ns();
	pop_due(w, now);
	if (!schedule(w, now + (__u64)(bpf_ntohl(t.dst) & 1023) * 1000, &t))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
