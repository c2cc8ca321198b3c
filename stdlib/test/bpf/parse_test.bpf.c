/* Test program for nf/parse.h: records what nf_parse() found, as offsets from the packet start
 * (-1 = NULL), into the array map `result` at the slot of the program (one per want mask). */
#include "nf/nf.h"

struct parse_result {
	__s32 off[13]; /* eth vlan vlan_inner ipv4 ipv6 tcp udp icmp icmpv6 l2_end l3_end l4 l4_end */
	__u32 l4proto;
	__u32 probe; /* XOR of the last fixed byte of every header found (verifier + pointer check) */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct parse_result);
} result SEC(".maps");

#define OFF(p) ((p) ? (__s32)((void *)(p) - h.data) : -1)

#define LAST(p, size) ((p) ? ((__u8 *)(p))[(size) - 1] : 0)

#define PARSE_PROG(name, slot, want)                                                               \
	SEC("xdp") int name(struct xdp_md *ctx)                                                    \
	{                                                                                          \
		struct nf_hdrs h;                                                                  \
		__u32 key = slot;                                                                  \
		struct parse_result *r = bpf_map_lookup_elem(&result, &key);                       \
                                                                                                   \
		nf_parse(&h, (void *)(long)ctx->data, (void *)(long)ctx->data_end, want);         \
		if (!r)                                                                            \
			return XDP_ABORTED;                                                        \
		r->off[0] = OFF(h.eth);                                                            \
		r->off[1] = OFF(h.vlan);                                                           \
		r->off[2] = OFF(h.vlan_inner);                                                     \
		r->off[3] = OFF(h.ipv4);                                                           \
		r->off[4] = OFF(h.ipv6);                                                           \
		r->off[5] = OFF(h.tcp);                                                            \
		r->off[6] = OFF(h.udp);                                                            \
		r->off[7] = OFF(h.icmp);                                                           \
		r->off[8] = OFF(h.icmpv6);                                                         \
		r->off[9] = OFF(h.l2_end);                                                         \
		r->off[10] = OFF(h.l3_end);                                                        \
		r->off[11] = OFF(h.l4);                                                            \
		r->off[12] = OFF(h.l4_end);                                                        \
		r->l4proto = h.l4proto;                                                            \
		r->probe = LAST(h.eth, 14) ^ LAST(h.vlan, 4) ^ LAST(h.vlan_inner, 4) ^             \
			   LAST(h.ipv4, 20) ^ LAST(h.ipv6, 40) ^ LAST(h.tcp, 20) ^                 \
			   LAST(h.udp, 8) ^ LAST(h.icmp, 4) ^ LAST(h.icmpv6, 4);                   \
		return XDP_PASS;                                                                   \
	}

PARSE_PROG(parse_all, 0, NF_H_ALL)
PARSE_PROG(parse_tcp, 1, NF_H_TCP)
PARSE_PROG(parse_v6, 2, NF_H_IPV6)
PARSE_PROG(parse_v4_icmp, 3, NF_H_IPV4 | NF_H_ICMP)
PARSE_PROG(parse_eth, 4, NF_H_ETH)
PARSE_PROG(parse_udp_icmpv6, 5, NF_H_UDP | NF_H_ICMPV6)
PARSE_PROG(parse_l4_v4_only, 6, NF_H_TCP | NF_H_UDP | NF_H_L4_V4_ONLY)
PARSE_PROG(parse_v6_ext, 7, NF_H_IPV6 | NF_H_IPV6_EXT)

char LICENSE[] SEC("license") = "GPL";
