// SPDX-License-Identifier: GPL-2.0
/*
 * bench.bpf.c — per-call instruction counts (vm/icount.sh): the kmod kfunc path against the
 * equivalent pure-BPF code nfc's pure backend emits. Compiled against uapi headers and the
 * stdlib (NOT vmlinux.h), so the pure side is stdlib's own nf_hash64 + nf_cms_add.
 *   xdp_empty            baseline: subtract it from every other program
 *   cms{4,8}_pure        nf_hash64 + nf_cms_add: per-row double hashing, one map lookup per row
 *   cms{4,8}_kmod        one nfc_rt_cms_add over a single-entry map value holding all rows
 *   bucket_pure          SWAR lane compare of 16 u16 signatures, then full-key compare of candidates
 *   bucket_kmod          one nfc_rt_bucket_lookup
 * The key (16 bytes) is in the packet: hashed in place by both sides; the pure bucket search
 * loads it into two u64 words, the kfunc compares it in place. Every program returns XDP_PASS.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define WIDTH 512
#define SEED 0x5eedULL

struct cells4 { __u32 c[NF_CMS_CHUNK(WIDTH)]; };
struct all4 { __u32 c[4 * WIDTH]; };
struct all8 { __u32 c[8 * WIDTH]; };

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, NF_CMS_ENTRIES(4, WIDTH));
	 __type(key, __u32); __type(value, struct cells4); } p4 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, NF_CMS_ENTRIES(8, WIDTH));
	 __type(key, __u32); __type(value, struct cells4); } p8 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct all4); } k4 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct all8); } k8 SEC(".maps");

static __always_inline int key_of(struct xdp_md *ctx, __u64 key[2])
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + 16 > end)
		return -1;
	__builtin_memcpy(key, data + 14, 16);
	return 0;
}

/* the key in place in the packet (both sides hash it from there) */
static __always_inline void *pkt_key(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + 16 > end)
		return NULL;
	return data + 14;
}

SEC("xdp")
int xdp_empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int cms4_pure(struct xdp_md *ctx)
{
	void *key = pkt_key(ctx);

	if (!key)
		return XDP_ABORTED;
	nf_cms_add(&p4, 4, WIDTH, NF_CMS_CHUNK(WIDTH), nf_hash64(key, 16, SEED), 1, false);
	return XDP_PASS;
}

SEC("xdp")
int cms8_pure(struct xdp_md *ctx)
{
	void *key = pkt_key(ctx);

	if (!key)
		return XDP_ABORTED;
	nf_cms_add(&p8, 8, WIDTH, NF_CMS_CHUNK(WIDTH), nf_hash64(key, 16, SEED), 1, false);
	return XDP_PASS;
}

static __always_inline int cms_kmod(struct xdp_md *ctx, void *map, __u32 rows, __u32 sz)
{
	struct nfc_rt_sketch sk = { .seed = SEED, .rows = rows, .width = WIDTH, .n = 1 };
	void *key = pkt_key(ctx);
	__u32 zero = 0;
	void *cells;

	if (!key)
		return XDP_ABORTED;
	cells = bpf_map_lookup_elem(map, &zero);
	if (!cells)
		return XDP_ABORTED;
	nfc_rt_cms_add(&sk, cells, sz, key, 16);
	return XDP_PASS;
}

SEC("xdp")
int cms4_kmod(struct xdp_md *ctx)
{
	return cms_kmod(ctx, &k4, 4, sizeof(struct all4));
}

SEC("xdp")
int cms8_kmod(struct xdp_md *ctx)
{
	return cms_kmod(ctx, &k8, 8, sizeof(struct all8));
}

/* A bucket as the cuckoo table stores it: 16 signatures, 16 slots of (16-byte key, 16-byte
 * value). The packet's key ("123456789" + 7 zero bytes) is in lane 11; lane 4 has the same
 * signature and a different key (a signature collision the full compare must reject). */
struct bucket {
	__u16 sig[16];
	struct { __u64 k[2]; __u64 v[2]; } slot[16];
};
#define SIG 0x5a5a
#define KEY0 0x3837363534333231ULL /* "12345678" little-endian */
#define KEY1 0x39ULL		   /* "9" then zero padding */
struct bucket bkt = {
	.sig = { 0x1111, 0x2222, 0x3333, 0x4444, SIG, 0x6666, 0x7777, 0x8888,
		 0x9999, 0xaaaa, 0xbbbb, SIG, 0xcccc, 0xdddd, 0xeeee, 0 },
	.slot = { [4] = { { KEY0, 0x40 } }, [11] = { { KEY0, KEY1 }, { 11, 11 } } },
};
__u64 found;

SEC("xdp")
int bucket_pure(struct xdp_md *ctx)
{
	const __u64 lo = 0x7fff7fff7fff7fffULL, rep = SIG * 0x0001000100010001ULL;
	__u64 key[2], w[4];
	__u32 m = 0;
	int hit = -1;

	if (key_of(ctx, key))
		return XDP_ABORTED;
	__builtin_memcpy(w, bkt.sig, 32);
#pragma unroll
	for (int i = 0; i < 4; i++) {
		__u64 x = w[i] ^ rep;
		__u64 t = ~(((x & lo) + lo) | x | lo); /* lane's top bit set iff lane == SIG */

		m |= (__u32)(((t >> 15) & 1) | ((t >> 30) & 2) | ((t >> 45) & 4) | ((t >> 60) & 8))
		     << (4 * i);
	}
	for (int i = 0; i < 16; i++) {
		if (!(m & (1u << i)))
			continue;
		if (bkt.slot[i].k[0] == key[0] && bkt.slot[i].k[1] == key[1]) {
			hit = i;
			break;
		}
	}
	found = hit;
	return XDP_PASS;
}

SEC("xdp")
int bucket_kmod(struct xdp_md *ctx)
{
	void *key = pkt_key(ctx);

	if (!key)
		return XDP_ABORTED;
	found = nfc_rt_bucket_lookup(&bkt, sizeof(bkt), key, 16, SIG);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
