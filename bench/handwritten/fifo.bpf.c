// SPDX-License-Identifier: GPL-2.0
/* Hand-written FIFO (XDP), what one writes without nfc: a ring of CAP 5-tuples with head and
 * length in one PERCPU_ARRAY value. Every IPv4 packet appends its flow (dropped when full) and
 * once LIMIT wait removes the oldest, dropping the packet when that flow's source is odd. The
 * twin of bench/nf/fifo.nf. */
#include "hw.h"

#ifndef CAP
#define CAP 256
#endif
#ifndef LIMIT
#define LIMIT 128
#endif

struct ring {
	__u32 head;
	__u32 len;
	struct hw_tuple ent[CAP];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ring);
} ring SEC(".maps");

SEC("xdp")
int fifo_prog(struct xdp_md *ctx)
{
	struct hw_tuple t, x;
	__u32 zero = 0, i;
	struct ring *q;

	if (!hw_parse(ctx, &t))
		return XDP_PASS;
	q = bpf_map_lookup_elem(&ring, &zero);
	if (!q)
		return XDP_PASS;
	if (q->len >= CAP)
		return XDP_DROP;
	i = (q->head + q->len) % CAP;
	q->ent[i] = t;
	q->len++;
	if (q->len >= LIMIT) {
		i = q->head % CAP;
		x = q->ent[i];
		q->head = (i + 1) % CAP;
		q->len--;
		if (bpf_ntohl(x.src) & 1)
			return XDP_DROP;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
