/* Test program for nf/hash.h: the packet is [len:1][pad:7][seed:8 LE][key:64]; the program
 * hashes key[0..len) straight from the packet with the constant-length nf_hash64 for that len
 * and writes nf_hash64 (LE) at offset 80 and nf_hash32 (LE) at offset 88. */
#include "nf/nf.h"

#define HASH_PKT_LEN 96

#define CASE(n)                                                                                    \
	case n:                                                                                    \
		h64 = nf_hash64(key, n, seed);                                                     \
		h32 = nf_hash32(key, n, seed);                                                     \
		break;
#define CASES8(b) CASE(b + 1) CASE(b + 2) CASE(b + 3) CASE(b + 4) CASE(b + 5) CASE(b + 6) CASE(b + 7) CASE(b + 8)

SEC("xdp") int hash_vec(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	__u64 h64, h32, seed;
	__u8 *key;

	if (data + HASH_PKT_LEN > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(&seed, p + 8, 8);
	key = p + 16;
	switch (p[0]) {
		CASES8(0) CASES8(8) CASES8(16) CASES8(24) CASES8(32) CASES8(40) CASES8(48) CASES8(56)
	default:
		return XDP_DROP;
	}
	__builtin_memcpy(p + 80, &h64, 8);
	__builtin_memcpy(p + 88, &h32, 8);
	return XDP_PASS;
}

/* A flow5 key built on the stack (the way generated code hashes), hashed with seed 0. The
 * packet is [flow5:16 as on the wire][pad]; writes nf_hash64 at offset 16. */
SEC("xdp") int hash_flow5(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct nf_flow5 f = {};
	__u64 h;

	if (data + 24 > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(&f.src, data, 4);
	__builtin_memcpy(&f.dst, data + 4, 4);
	__builtin_memcpy(&f.sport, data + 8, 2);
	__builtin_memcpy(&f.dport, data + 10, 2);
	f.proto = *(__u8 *)(data + 12);
	h = nf_hash64(&f, sizeof(f), 0);
	__builtin_memcpy(data + 16, &h, 8);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
