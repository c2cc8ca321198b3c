/* Test programs for nf/sketch.h. The packet is [op:1][which:1][pad:6][h:8 LE][n:4 LE][pad:4];
 * op 0 = add n (count-min) / insert (bloom), op 1 = estimate / contains; the result (u32 LE) is
 * written at offset 24. `which` picks one of the sketches below. */
#include "nf/nf.h"

#define CMS_SMALL_ROWS 4
#define CMS_SMALL_WIDTH 1024 /* one chunk per row */
#define CMS_BIG_ROWS 3
#define CMS_BIG_WIDTH 32768 /* four chunks per row */
#define BLOOM_SMALL_BITS 1024
#define BLOOM_SMALL_HASHES 3
#define BLOOM_BIG_BITS (1u << 19) /* two chunks */
#define BLOOM_BIG_HASHES 7

#define CMS_MAP(name, mtype, rows, width)                                                           \
	struct {                                                                                   \
		__uint(type, mtype);                                                               \
		__uint(max_entries, NF_CMS_ENTRIES(rows, width));                                  \
		__type(key, __u32);                                                                \
		__type(value, struct { __u32 c[NF_CMS_CHUNK(width)]; });                           \
	} name SEC(".maps")
#define BLOOM_MAP(name, mtype, bits)                                                                \
	struct {                                                                                   \
		__uint(type, mtype);                                                               \
		__uint(max_entries, NF_BLOOM_ENTRIES(bits));                                       \
		__type(key, __u32);                                                                \
		__type(value, struct { __u64 w[NF_BLOOM_CHUNK_WORDS(bits)]; });                    \
	} name SEC(".maps")

CMS_MAP(cms_small, BPF_MAP_TYPE_ARRAY, CMS_SMALL_ROWS, CMS_SMALL_WIDTH);
CMS_MAP(cms_big, BPF_MAP_TYPE_ARRAY, CMS_BIG_ROWS, CMS_BIG_WIDTH);
CMS_MAP(cms_pcpu, BPF_MAP_TYPE_PERCPU_ARRAY, CMS_SMALL_ROWS, CMS_SMALL_WIDTH);
BLOOM_MAP(bloom_small, BPF_MAP_TYPE_ARRAY, BLOOM_SMALL_BITS);
BLOOM_MAP(bloom_big, BPF_MAP_TYPE_ARRAY, BLOOM_BIG_BITS);
BLOOM_MAP(bloom_pcpu, BPF_MAP_TYPE_PERCPU_ARRAY, BLOOM_SMALL_BITS);

#define CMS(map, rows, width, atomic)                                                              \
	do {                                                                                       \
		if (op == 0)                                                                       \
			nf_cms_add(&map, rows, width, NF_CMS_CHUNK(width), h, n, atomic);          \
		res = nf_cms_estimate(&map, rows, width, NF_CMS_CHUNK(width), h);                  \
	} while (0)
#define BLOOM(map, hashes, bits, atomic)                                                           \
	do {                                                                                       \
		if (op == 0)                                                                       \
			nf_bloom_insert(&map, hashes, bits, NF_BLOOM_CHUNK_WORDS(bits), h, atomic); \
		res = nf_bloom_contains(&map, hashes, bits, NF_BLOOM_CHUNK_WORDS(bits), h);        \
	} while (0)

SEC("xdp") int sketch_op(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	__u32 n, res = 0;
	__u64 h;
	__u8 op;

	if (data + 32 > data_end)
		return XDP_ABORTED;
	op = p[0];
	__builtin_memcpy(&h, p + 8, 8);
	__builtin_memcpy(&n, p + 16, 4);
	switch (p[1]) {
	case 0:
		CMS(cms_small, CMS_SMALL_ROWS, CMS_SMALL_WIDTH, true);
		break;
	case 1:
		CMS(cms_big, CMS_BIG_ROWS, CMS_BIG_WIDTH, true);
		break;
	case 2:
		CMS(cms_pcpu, CMS_SMALL_ROWS, CMS_SMALL_WIDTH, false);
		break;
	case 3:
		BLOOM(bloom_small, BLOOM_SMALL_HASHES, BLOOM_SMALL_BITS, true);
		break;
	case 4:
		BLOOM(bloom_big, BLOOM_BIG_HASHES, BLOOM_BIG_BITS, true);
		break;
	case 5:
		BLOOM(bloom_pcpu, BLOOM_SMALL_HASHES, BLOOM_SMALL_BITS, false);
		break;
	default:
		return XDP_DROP;
	}
	__builtin_memcpy(p + 24, &res, 4);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
