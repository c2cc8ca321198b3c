/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfc_runtime.h — the ONE contract between the nfc_runtime kernel module and BPF programs.
 *
 * Included by the module (with __KERNEL__ defined: plain prototypes the definitions must match)
 * and by BPF programs (after vmlinux.h or <linux/types.h>, then <bpf/bpf_helpers.h>: `extern ...
 * __ksym` kfunc declarations). Scalar types are the uapi __u32/__u64/__s32/__s64.
 *
 * ABI: bump NFC_RT_ABI_VERSION on any incompatible change (a removed kfunc, a changed argument,
 * changed semantics). Adding a kfunc is compatible: a program that needs it fails to load on an
 * older module with "failed to find kernel BTF type ID of '<name>'" — probe the version first.
 * The enum lands in the module's BTF (/sys/kernel/btf/nfc_runtime), so a loader can read the
 * version without loading any program, and a BPF program can read it with
 * bpf_core_enum_value(enum nfc_rt_abi, NFC_RT_ABI_VERSION) (CO-RE relocates against module BTF).
 *
 * Argument constraints are enforced by the verifier from BTF: a pointer followed by an argument
 * whose name ends in `__sz` is a (memory, length) pair — the pointer may be packet, stack or
 * map-value memory (writable: 6.1 checks read AND write access, so never .rodata) and the
 * verifier proves [ptr, ptr+len) accessible; the length must be a known or bounded scalar. A
 * pointer to a scalar or to a struct of scalars (struct nfc_rt_sketch, __u32 *) is the same with
 * the pointee's size. Do not rename `__sz` parameters: the suffix IS the contract.
 *
 * Objects (struct nfc_rt_mem, nfc_rt_node, nfc_rt_lists) are opaque to BPF. Only pointers the
 * program ACQUIRED (returned by a KF_ACQUIRE kfunc, or taken out of a map with bpf_kptr_xchg)
 * are accepted; a pointer loaded directly from a map value is untrusted and rejected. Linux 6.1
 * accepts at most ONE acquired object per kfunc call, which is why node-to-node operations name
 * the second node through a container slot (nfc_rt_node_park / nfc_rt_node_connect).
 * Containers and list objects may be kept in map values as referenced kptrs (6.1: `__kptr_ref`,
 * 6.12: `__kptr`; 6.1 allows them in HASH, LRU_HASH, ARRAY, PERCPU_ARRAY maps); the module's
 * registered destructor frees them with the map.
 */
#ifndef NFC_RUNTIME_H
#define NFC_RUNTIME_H

#ifdef __KERNEL__
#include <linux/types.h>
#endif

/* Version of this contract. Module and BPF side must agree; see the header comment.
 * 1: abi/features/popcnt/crc32c. 2: hash, sketches, signatures, bitops/cFFS, lists, geometric
 * pool, memory wrapper, memcpy/memcmp. 3: nfc_rt_lists_pop_first (list objects keep a bitmap of
 * non-empty lists), nfc_rt_lists_len(l, NFC_RT_LISTS_ALL) = elements over all lists. */
#define NFC_RT_ABI 3 /* the one number: the enum below, MODULE_VERSION and nfc's KMOD_ABI_VERSION */
enum nfc_rt_abi {
	NFC_RT_ABI_VERSION = NFC_RT_ABI,
};

/* Bits returned by nfc_rt_features(): which implementation the module chose at load time. */
enum nfc_rt_feature {
	NFC_RT_F_CRC32C_HW = 1 << 0, /* SSE4.2 crc32 instruction (integer unit; no FPU state) */
	NFC_RT_F_POPCNT_HW = 1 << 1, /* POPCNT instruction (via the kernel's hweight64 alternative) */
	NFC_RT_F_AVX2 = 1 << 2,      /* AVX2 signature compare, bracketed by kernel_fpu_begin/end */
};

/* Limits of the kfunc arguments (also in module BTF). */
enum nfc_rt_limits {
	NFC_RT_SKETCH_MAX_ROWS = 16,  /* rows of a count-min/count-sketch, hashes of a bloom */
	NFC_RT_SIG_LANES = 16,	      /* u16 signatures per bucket */
	NFC_RT_CFFS_MAX_LEVELS = 4,   /* levels of a cFFS bitmap hierarchy */
	NFC_RT_LISTS_MAX_LISTS = 4096,
	NFC_RT_LISTS_MAX_ELEM = 256,  /* bytes per list element */
	NFC_RT_LISTS_MAX_BYTES = 1 << 20, /* nlists * 12 + capacity * (elem_size + 4) */
	NFC_RT_LISTS_ALL = 0xffffffff, /* nfc_rt_lists_len(): every list */
	NFC_RT_MEM_SLOTS = 8,	      /* named root/cursor slots per container */
	NFC_RT_MEM_MAX_EDGES = 32,    /* edges per node */
	NFC_RT_MEM_MAX_NODE = 1024,   /* bytes per node: 32 + 8 * nedges + data_size */
	NFC_RT_MEM_MAX_NODES = 1 << 20,
};

/* Words of a cFFS hierarchy of L levels: (64^L - 1) / 63 (1, 65, 4161, 266305). */
#define NFC_RT_CFFS_WORDS(levels) ((((__u64)1 << (6 * (levels))) - 1) / 63)

/* struct nfc_rt_sketch flags */
enum nfc_rt_sketch_flags {
	NFC_RT_SK_ATOMIC = 1 << 0, /* shared map: locked add/or (cells must be naturally aligned) */
};

/**
 * struct nfc_rt_sketch - shape of a sketch, passed by pointer (BPF stack) to the sketch kfuncs.
 * @seed:  nf_hash64 seed of the key (the compiler's choice; the language's hash(x) uses 0).
 * @rows:  rows of a count-min/count-sketch, or hash functions of a bloom filter: 1..16.
 * @width: cells per row (count-min/count-sketch) or bits (bloom): a power of two (bloom >= 64).
 * @n:     amount added by nfc_rt_cms_add / nfc_rt_cs_update (mod 2^32); ignored elsewhere.
 * @flags: enum nfc_rt_sketch_flags.
 *
 * Cell layout (shared with the pure backend's cell numbering and the interpreter): ONE map value
 * (an ARRAY/PERCPU_ARRAY entry, or any map-value/stack memory) holds all rows: cell of row i for
 * a key is index i * width + col_i of a __u32 (count-sketch: __s32) array, bloom bit b is bit
 * (b & 63) of little-endian __u64 word b / 64, where
 *     h = nf_hash64(key, key_len, seed)                     (stdlib/include/nf/hash.h)
 *     col_i = ((u32)h + i * ((u32)(h >> 32) | 1)) & (width - 1)   (nf_dh_index)
 * This is the pure backend's layout with chunk = rows * width (one entry) instead of one row per
 * entry: a kfunc can only touch one verifier-checked region, and one region lets it apply all k
 * rows in one pass. PERCPU_ARRAY values are limited to 32 KiB (8192 cells); ARRAY to 4 MiB.
 */
struct nfc_rt_sketch {
	__u64 seed;
	__u32 rows;
	__u32 width;
	__u32 n;
	__u32 flags;
};

#ifdef __KERNEL__
struct nfc_rt_mem;
struct nfc_rt_node;
struct nfc_rt_lists;
#define NFC_KFUNC(ret, name, ...) ret name(__VA_ARGS__)
#else
#ifndef __ksym
#error "include <bpf/bpf_helpers.h> before nfc_runtime.h"
#endif
/* Opaque to BPF: the verifier resolves kptr and argument types by name in module BTF. */
struct nfc_rt_mem {
	__u64 __opaque;
};
struct nfc_rt_node {
	__u64 __opaque;
};
struct nfc_rt_lists {
	__u64 __opaque;
};
/* Referenced-kptr field tag for map values holding a container or list object. Linux 6.1 (the
 * last kernel with the old spelling) needs "kptr_ref": build with -DNFC_RT_KPTR_REF_TAG there;
 * 6.2+ spell it "kptr". Example: struct { struct nfc_rt_mem __nfc_kptr *m; } in an ARRAY value. */
#ifdef NFC_RT_KPTR_REF_TAG
#define __nfc_kptr __attribute__((btf_type_tag("kptr_ref")))
#else
#define __nfc_kptr __attribute__((btf_type_tag("kptr")))
#endif
#define NFC_KFUNC(ret, name, ...) extern ret name(__VA_ARGS__) __ksym
#endif

/* ---------------------------------------------------------------------------------------- */
/* Module identity                                                                          */

/**
 * nfc_rt_abi_version() - the module's contract version.
 *
 * Return: NFC_RT_ABI_VERSION as compiled into the module. No arguments.
 */
NFC_KFUNC(__u32, nfc_rt_abi_version, void);

/**
 * nfc_rt_features() - implementation choices made at module load.
 *
 * Return: a mask of enum nfc_rt_feature bits. Results of every kfunc are identical whichever
 * bits are set; the mask exists so tests can prove both the hardware and the fallback path ran.
 */
NFC_KFUNC(__u32, nfc_rt_features, void);

/* ---------------------------------------------------------------------------------------- */
/* Bit operations                                                                           */

/**
 * nfc_rt_popcnt64() - number of set bits in a 64-bit word.
 * @x: any value.
 *
 * Return: 0..64. Uses POPCNT when the CPU has it, a table-free software count otherwise.
 */
NFC_KFUNC(__u64, nfc_rt_popcnt64, __u64 x);

/**
 * nfc_rt_ffs64() - find first (lowest) set bit.
 * @x: any value.
 *
 * Return: 1 + index of the lowest set bit (1..64), 0 when @x == 0 (ctz(x) = ffs(x) - 1).
 */
NFC_KFUNC(__u64, nfc_rt_ffs64, __u64 x);

/**
 * nfc_rt_fls64() - find last (highest) set bit.
 * @x: any value.
 *
 * Return: 1 + index of the highest set bit (1..64), 0 when @x == 0.
 */
NFC_KFUNC(__u64, nfc_rt_fls64, __u64 x);

/**
 * nfc_rt_cffs_first() - lowest set leaf of a cFFS bitmap hierarchy.
 * @words: the hierarchy, __u64 words: level 0 (1 word) first, then level 1 (64 words), ...;
 *         leaf bit x lives in level L-1. Level l's word w bit j is set iff level l+1's word
 *         w*64+j is non-zero (maintained by nfc_rt_cffs_set/clear; start from all zeros).
 * @words__sz: bytes, >= 8 * NFC_RT_CFFS_WORDS(@levels).
 * @levels: 1..4 (64, 4096, 262144, 16777216 leaves).
 *
 * Return: the lowest set leaf index, -1 when empty, -EINVAL for bad @levels/@words__sz.
 */
NFC_KFUNC(__s64, nfc_rt_cffs_first, const void *words, __u32 words__sz, __u32 levels);

/**
 * nfc_rt_cffs_set() - set leaf @leaf and the summary bits above it.
 * @words: as for nfc_rt_cffs_first(). Not atomic: one writer at a time (per-CPU map or one CPU).
 * @words__sz: as for nfc_rt_cffs_first().
 * @levels: 1..4.
 * @leaf: < 64^@levels.
 *
 * Return: 1 if the leaf was already set, 0 if newly set, -EINVAL for bad arguments.
 */
NFC_KFUNC(__s64, nfc_rt_cffs_set, void *words, __u32 words__sz, __u32 levels, __u32 leaf);

/**
 * nfc_rt_cffs_clear() - clear leaf @leaf; clears summary bits whose word became zero.
 * @words: as for nfc_rt_cffs_set().
 * @words__sz: as for nfc_rt_cffs_first().
 * @levels: 1..4.
 * @leaf: < 64^@levels.
 *
 * Return: 1 if the leaf was set, 0 if it was already clear, -EINVAL for bad arguments.
 */
NFC_KFUNC(__s64, nfc_rt_cffs_clear, void *words, __u32 words__sz, __u32 levels, __u32 leaf);

/**
 * nfc_rt_cffs_pop() - find and clear the lowest set leaf (priority-queue pop-min).
 * @words: as for nfc_rt_cffs_set().
 * @words__sz: as for nfc_rt_cffs_first().
 * @levels: 1..4.
 *
 * Return: the leaf that was cleared, -1 when empty, -EINVAL for bad arguments.
 */
NFC_KFUNC(__s64, nfc_rt_cffs_pop, void *words, __u32 words__sz, __u32 levels);

/* ---------------------------------------------------------------------------------------- */
/* Hashing and multi-hash sketches                                                          */

/**
 * nfc_rt_crc32c() - CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) over a buffer.
 * @seed: running CRC; any value. NO pre/post inversion is applied (same as the SSE4.2 crc32
 *        instruction and Linux crc32c()): the standard check value is
 *        ~nfc_rt_crc32c(~0U, "123456789", 9) == 0xE3069283.
 * @buf: packet, stack or map-value memory, readable for @buf__sz bytes (verifier-checked).
 * @buf__sz: length in bytes; a constant or a bounded scalar; 0 returns @seed unchanged.
 *
 * Return: the updated CRC. Uses the crc32 instruction when SSE4.2 is present (8 bytes per step),
 * a 256-entry table otherwise; both give identical results.
 */
NFC_KFUNC(__u32, nfc_rt_crc32c, __u32 seed, const void *buf, __u32 buf__sz);

/**
 * nfc_rt_hash64() - nf_hash64 (stdlib/include/nf/hash.h), bit-identical.
 * @key: the key's bytes.
 * @key__sz: length; 1..64 matches the pure backend (which cannot hash more); longer keys are
 *           hashed by the same definition (zero-padded little-endian words).
 * @seed: any value.
 *
 * Return: the 64-bit hash.
 */
NFC_KFUNC(__u64, nfc_rt_hash64, const void *key, __u32 key__sz, __u64 seed);

/**
 * nfc_rt_cms_add() - count-min add: hash @key once, add @sk->n to its cell in EVERY row.
 * @sk: shape (struct nfc_rt_sketch, on the stack); @sk->rows 1..16, @sk->width a power of two.
 * @cells: rows * width __u32 cells, layout in struct nfc_rt_sketch. With NFC_RT_SK_ATOMIC the
 *         address must be 4-byte aligned (map values are).
 * @cells__sz: bytes, >= 4 * rows * width.
 * @key: the key's bytes.
 * @key__sz: 1..64 (see nfc_rt_hash64()).
 *
 * Return: the new estimate (minimum over rows after the add, 0..2^32-1), -EINVAL for a bad shape.
 */
NFC_KFUNC(__s64, nfc_rt_cms_add, const struct nfc_rt_sketch *sk, void *cells, __u32 cells__sz,
	  const void *key, __u32 key__sz);

/**
 * nfc_rt_cms_estimate() - count-min estimate: minimum over rows of the key's cells.
 * @sk: shape, as for nfc_rt_cms_add() (@sk->n ignored).
 * @cells: as for nfc_rt_cms_add().
 * @cells__sz: as for nfc_rt_cms_add().
 * @key: the key's bytes.
 * @key__sz: 1..64.
 *
 * Return: the estimate (0..2^32-1), -EINVAL for a bad shape.
 */
NFC_KFUNC(__s64, nfc_rt_cms_estimate, const struct nfc_rt_sketch *sk, const void *cells,
	  __u32 cells__sz, const void *key, __u32 key__sz);

/**
 * nfc_rt_cs_update() - count-sketch update: every row's cell += sign_i * @sk->n.
 * @sk: shape, as for nfc_rt_cms_add().
 * @cells: rows * width __s32 cells (same indices as count-min).
 * @cells__sz: bytes, >= 4 * rows * width.
 * @key: the key's bytes.
 * @key__sz: 1..64.
 *
 * sign_i = +1 if bit i of g is 0, else -1, where g = fmix64(h) (the nf_hash64 finalizer:
 * g ^= g >> 33; g *= 0xff51afd7ed558ccd; g ^= g >> 33; g *= 0xc4ceb9fe1a85ec53; g ^= g >> 33).
 *
 * Return: 0, or -EINVAL for a bad shape.
 */
NFC_KFUNC(__s64, nfc_rt_cs_update, const struct nfc_rt_sketch *sk, void *cells, __u32 cells__sz,
	  const void *key, __u32 key__sz);

/**
 * nfc_rt_cs_estimate() - count-sketch estimate: median over rows of sign_i * cell_i.
 * @sk: shape, as for nfc_rt_cms_add().
 * @cells: as for nfc_rt_cs_update().
 * @cells__sz: as for nfc_rt_cs_update().
 * @key: the key's bytes.
 * @key__sz: 1..64.
 *
 * Return: the median (even rows: floor of the mean of the two middle values) as a signed value;
 * -EINVAL is returned as (__s64)-22 - 2^40 (NFC_RT_CS_EINVAL) so it cannot collide with a median.
 */
NFC_KFUNC(__s64, nfc_rt_cs_estimate, const struct nfc_rt_sketch *sk, const void *cells,
	  __u32 cells__sz, const void *key, __u32 key__sz);
#define NFC_RT_CS_EINVAL (-(1LL << 40) - 22)

/**
 * nfc_rt_bloom_add() - set the key's @sk->rows bits of a bloom filter of @sk->width bits.
 * @sk: shape; rows = hash functions 1..16, width = bits, a power of two >= 64.
 * @bits: width / 8 bytes of little-endian __u64 words (8-byte aligned with NFC_RT_SK_ATOMIC).
 * @bits__sz: bytes, >= width / 8.
 * @key: the key's bytes.
 * @key__sz: 1..64.
 *
 * Return: 1 if all bits were already set (probably present), 0 otherwise, -EINVAL bad shape.
 */
NFC_KFUNC(__s64, nfc_rt_bloom_add, const struct nfc_rt_sketch *sk, void *bits, __u32 bits__sz,
	  const void *key, __u32 key__sz);

/**
 * nfc_rt_bloom_test() - whether all of the key's bits are set.
 * @sk: as for nfc_rt_bloom_add().
 * @bits: as for nfc_rt_bloom_add().
 * @bits__sz: as for nfc_rt_bloom_add().
 * @key: the key's bytes.
 * @key__sz: 1..64.
 *
 * Return: 1 (maybe present) or 0 (absent), -EINVAL for a bad shape.
 */
NFC_KFUNC(__s64, nfc_rt_bloom_test, const struct nfc_rt_sketch *sk, const void *bits,
	  __u32 bits__sz, const void *key, __u32 key__sz);

/* ---------------------------------------------------------------------------------------- */
/* Signature search (blocked cuckoo tables)                                                 */

/**
 * nfc_rt_sig16_mask() - compare 16 __u16 signature lanes with @sig.
 * @sigs: 16 little-endian __u16 lanes (any alignment; 32-byte alignment is fastest).
 * @sigs__sz: exactly 32 (else the result is 0).
 * @sig: the signature; only the low 16 bits are used.
 *
 * Return: bit i set iff lane i == @sig (AVX2 vpcmpeqw/vpmovmskb when present, scalar otherwise).
 */
NFC_KFUNC(__u32, nfc_rt_sig16_mask, const void *sigs, __u32 sigs__sz, __u32 sig);

/**
 * nfc_rt_sig16_find() - first lane equal to @sig (ctz of nfc_rt_sig16_mask()).
 * @sigs: as for nfc_rt_sig16_mask().
 * @sigs__sz: exactly 32.
 * @sig: as for nfc_rt_sig16_mask().
 *
 * Return: 0..15, or -1 when no lane matches (or @sigs__sz != 32).
 */
NFC_KFUNC(__s32, nfc_rt_sig16_find, const void *sigs, __u32 sigs__sz, __u32 sig);

/**
 * nfc_rt_bucket_lookup() - fused blocked-cuckoo bucket lookup.
 * @bucket: layout { __u16 sig[16]; __u8 slot[16][stride]; } with stride = (@bucket__sz - 32) / 16;
 *          each slot starts with the key (its value follows). Lane i is empty iff sig[i] == 0.
 * @bucket__sz: 32 + 16 * stride, stride >= @key__sz (a multiple of 32 keeps sig[] aligned in
 *              an array of buckets).
 * @key: the full key.
 * @key__sz: 1..stride.
 * @sig: the key's signature, 1..0xffff (0 is the empty marker and never matches).
 *
 * Return: the lowest lane whose signature AND full key (memcmp of @key__sz bytes) match, or -1
 * (also for a malformed @bucket__sz).
 */
NFC_KFUNC(__s32, nfc_rt_bucket_lookup, const void *bucket, __u32 bucket__sz, const void *key,
	  __u32 key__sz, __u32 sig);

/* ---------------------------------------------------------------------------------------- */
/* Geometric random pool (NitroSketch sampling)                                             */

/**
 * nfc_rt_geo_skip_of() - the pure mapping from a uniform __u32 to a geometric(p) skip count.
 * @r: uniform random value.
 * @p_q32: sampling probability p = @p_q32 / 2^32, 1..2^32 (2^32: p = 1); 0 means p = 0.
 *
 * skip = floor(A / B) with A = -log2((r + 1) / 2^32) and B = -log2(1 - p), both in unsigned
 * Q56 fixed point computed by 56 rounds of bitwise squaring (exact integer arithmetic, identical
 * on every CPU). skip is the number of events to let pass before the next sample.
 *
 * Return: 0..0xffffffff (saturated); 0 for p = 1; 0xffffffff for p = 0.
 */
NFC_KFUNC(__u64, nfc_rt_geo_skip_of, __u32 r, __u64 p_q32);

/**
 * nfc_rt_geo_next() - a fresh geometric(p) skip count from this CPU's random pool.
 * @p_q32: as for nfc_rt_geo_skip_of().
 *
 * The pool (64 __u32 per CPU) is refilled in the kernel from get_random_u32() when empty, so a
 * program never calls an RNG helper per packet. B for the last @p_q32 is cached per CPU.
 *
 * Return: nfc_rt_geo_skip_of(next pool value, @p_q32).
 */
NFC_KFUNC(__u64, nfc_rt_geo_next, __u64 p_q32);

/**
 * nfc_rt_geo_sample() - "sample this event?" with a countdown the program owns.
 * @countdown: a __u32 in map-value or stack memory (use a PERCPU_ARRAY value); start at 0.
 * @p_q32: as for nfc_rt_geo_skip_of().
 *
 * If *@countdown == 0: *@countdown = nfc_rt_geo_next(@p_q32) and return 1; else decrement it and
 * return 0. Over many calls a fraction p of events is sampled, with geometric gaps.
 *
 * Return: 1 = sample this event, 0 = skip it.
 */
NFC_KFUNC(__u32, nfc_rt_geo_sample, __u32 *countdown, __u64 p_q32);

/* ---------------------------------------------------------------------------------------- */
/* Large-buffer copy and compare                                                            */

/**
 * nfc_rt_memcpy() - copy @src__sz bytes from @src to @dst (kernel memcpy: rep movs).
 * @dst: writable memory of @dst__sz bytes.
 * @dst__sz: >= @src__sz.
 * @src: readable memory; must not overlap @dst.
 * @src__sz: bytes to copy.
 *
 * Return: @src__sz, or -EINVAL if @src__sz > @dst__sz (nothing copied).
 */
NFC_KFUNC(__s64, nfc_rt_memcpy, void *dst, __u32 dst__sz, const void *src, __u32 src__sz);

/**
 * nfc_rt_memcmp() - compare two byte strings.
 * @a: readable memory.
 * @a__sz: its length.
 * @b: readable memory.
 * @b__sz: its length.
 *
 * Return: -1, 0 or 1: memcmp order of the first min(@a__sz, @b__sz) bytes, then the shorter
 * string first; 0 only if both lengths and all bytes are equal.
 */
NFC_KFUNC(__s32, nfc_rt_memcmp, const void *a, __u32 a__sz, const void *b, __u32 b__sz);

/* ---------------------------------------------------------------------------------------- */
/* List buckets: N FIFO lists of fixed-size elements sharing one bounded pool                */

/**
 * nfc_rt_lists_new() - create a list-bucket object (KF_ACQUIRE: release it or store it).
 * @nlists: 1..4096 lists.
 * @elem_size: bytes per element, 1..256.
 * @capacity: total elements over all lists, 1..; nlists * 12 + capacity * (elem_size + 4)
 *            <= NFC_RT_LISTS_MAX_BYTES. Allocated up front (GFP_ATOMIC).
 *
 * Return: the object (refcount 1, one spinlock per object), or NULL (bad arguments, no memory).
 */
NFC_KFUNC(struct nfc_rt_lists *, nfc_rt_lists_new, __u32 nlists, __u32 elem_size,
	  __u32 capacity);

/**
 * nfc_rt_lists_release() - drop a reference (KF_RELEASE); frees the object at the last one.
 * @l: an acquired list object.
 */
NFC_KFUNC(void, nfc_rt_lists_release, struct nfc_rt_lists *l);

/**
 * nfc_rt_lists_push() - append an element to the tail of list @list.
 * @l: an acquired list object.
 * @list: < nlists.
 * @elem: the element's bytes.
 * @elem__sz: exactly elem_size.
 *
 * Return: 0, -ENOSPC when all @capacity elements are in use ("full"), -EINVAL bad arguments.
 */
NFC_KFUNC(__s32, nfc_rt_lists_push, struct nfc_rt_lists *l, __u32 list, const void *elem,
	  __u32 elem__sz);

/**
 * nfc_rt_lists_pop() - remove the head of list @list into @out.
 * @l: an acquired list object.
 * @list: < nlists.
 * @out: writable memory.
 * @out__sz: exactly elem_size.
 *
 * Return: 0, -ENOENT when the list is empty, -EINVAL bad arguments.
 */
NFC_KFUNC(__s32, nfc_rt_lists_pop, struct nfc_rt_lists *l, __u32 list, void *out, __u32 out__sz);

/**
 * nfc_rt_lists_peek() - copy the head of list @list into @out without removing it.
 * @l: an acquired list object.
 * @list: < nlists.
 * @out: writable memory.
 * @out__sz: exactly elem_size.
 *
 * Return: 0, -ENOENT when the list is empty, -EINVAL bad arguments.
 */
NFC_KFUNC(__s32, nfc_rt_lists_peek, struct nfc_rt_lists *l, __u32 list, void *out,
	  __u32 out__sz);

/**
 * nfc_rt_lists_len() - elements in list @list, or in all lists.
 * @l: an acquired list object.
 * @list: < nlists, or NFC_RT_LISTS_ALL for the total over every list (O(1): a counter).
 *
 * Return: the length, or -EINVAL for a bad @list.
 */
NFC_KFUNC(__s64, nfc_rt_lists_len, struct nfc_rt_lists *l, __u32 list);

/**
 * nfc_rt_lists_pop_first() - remove the head of the first non-empty list of a circular range.
 * @l: an acquired list object.
 * @from: first list searched, < nlists.
 * @count: lists searched: @from, @from + 1, ..., @from + @count - 1, each taken mod nlists
 *         (the range wraps past nlists - 1 to 0). Clamped to nlists (every list once); 0 searches
 *         nothing.
 * @out: writable memory; receives the popped element.
 * @out__sz: exactly elem_size.
 *
 * The object keeps a bitmap of non-empty lists (a summary word over 64 leaf words, maintained by
 * push and pop under the object's lock), so the search is a few bsf instructions whatever
 * @count is. Within the chosen list the oldest element is removed (FIFO), under the same lock
 * as push: concurrent callers never lose or duplicate an element. Uses: an Eiffel / cFFS integer
 * priority queue (pop-min = @from 0, @count nlists: the lowest non-empty rank) and a Carousel
 * timing wheel (pop-due = @from the cursor slot, @count the slots up to now's slot, wrapping).
 *
 * Return: the list index the element was popped from (0..nlists-1); -ENOENT when every list of
 * the range is empty (or @count is 0), nothing written; -EINVAL for @from >= nlists or a bad
 * @out__sz.
 */
NFC_KFUNC(__s32, nfc_rt_lists_pop_first, struct nfc_rt_lists *l, __u32 from, __u32 count,
	  void *out, __u32 out__sz);

/* ---------------------------------------------------------------------------------------- */
/* Memory wrapper: a container owning linked nodes (skip lists, trees)                       */
/*
 * The container owns every node it allocated. A node is freed when nothing references it:
 * not its container (until unowned), no edge, no slot, no program. Unowning a node clears its
 * edges and every slot holding it; edges of other nodes that still point to it are cleared
 * lazily — nfc_rt_node_follow() of such an edge returns NULL — so a program can never reach a
 * node its container gave up (use-after-unown protection). Releasing the container (or freeing
 * the map holding it) unowns every node. Nodes come from kmem_caches with GFP_ATOMIC; every
 * container and node is counted in /sys/module/nfc_runtime/parameters/live_objects.
 */

/**
 * nfc_rt_mem_new() - create a container (KF_ACQUIRE: release it or store it in a map).
 * @data_size: bytes of data per node, 1..; 32 + 8 * @nedges + @data_size <= 1024.
 * @nedges: edges per node, 0..32.
 * @max_nodes: maximum owned nodes, 1..2^20 (nfc_rt_node_new() returns NULL beyond it).
 *
 * Return: the container, or NULL (bad arguments, no memory).
 */
NFC_KFUNC(struct nfc_rt_mem *, nfc_rt_mem_new, __u32 data_size, __u32 nedges, __u32 max_nodes);

/**
 * nfc_rt_mem_release() - drop a container reference (KF_RELEASE); the last one unowns all nodes.
 * @m: an acquired container.
 */
NFC_KFUNC(void, nfc_rt_mem_release, struct nfc_rt_mem *m);

/**
 * nfc_rt_mem_count() - nodes the container currently owns.
 * @m: an acquired container.
 *
 * Return: 0..max_nodes.
 */
NFC_KFUNC(__u32, nfc_rt_mem_count, struct nfc_rt_mem *m);

/**
 * nfc_rt_mem_slot() - acquire the node held in named slot @slot (roots, cursors).
 * @m: an acquired container.
 * @slot: < NFC_RT_MEM_SLOTS.
 *
 * Return: an acquired node (release it), or NULL when the slot is empty or @slot is bad.
 */
NFC_KFUNC(struct nfc_rt_node *, nfc_rt_mem_slot, struct nfc_rt_mem *m, __u32 slot);

/**
 * nfc_rt_mem_clear() - empty slot @slot.
 * @m: an acquired container.
 * @slot: < NFC_RT_MEM_SLOTS.
 *
 * Return: 0, or -EINVAL for a bad @slot.
 */
NFC_KFUNC(__s32, nfc_rt_mem_clear, struct nfc_rt_mem *m, __u32 slot);

/**
 * nfc_rt_node_new() - allocate a zeroed node owned by @m.
 * @m: an acquired container.
 *
 * Return: an acquired node (release it with nfc_rt_node_release(); the container keeps it), or
 * NULL when the container is full (max_nodes) or memory is short.
 */
NFC_KFUNC(struct nfc_rt_node *, nfc_rt_node_new, struct nfc_rt_mem *m);

/**
 * nfc_rt_node_release() - drop the program's reference to a node (KF_RELEASE).
 * @n: an acquired node.
 */
NFC_KFUNC(void, nfc_rt_node_release, struct nfc_rt_node *n);

/**
 * nfc_rt_node_follow() - acquire the target of edge @edge of @n.
 * @n: an acquired node.
 * @edge: < nedges.
 *
 * Return: an acquired node, or NULL when the edge is empty, @edge is bad, or the target was
 * unowned (the stale edge is cleared).
 */
NFC_KFUNC(struct nfc_rt_node *, nfc_rt_node_follow, struct nfc_rt_node *n, __u32 edge);

/**
 * nfc_rt_node_park() - put @n into its container's slot @slot (replacing what was there).
 * @n: an acquired node, owned.
 * @slot: < NFC_RT_MEM_SLOTS.
 *
 * Return: 0, -EINVAL bad @slot, -ESTALE if @n is no longer owned.
 */
NFC_KFUNC(__s32, nfc_rt_node_park, struct nfc_rt_node *n, __u32 slot);

/**
 * nfc_rt_node_connect() - edge @edge of @n := the node in its container's slot @slot.
 * @n: an acquired node, owned.
 * @edge: < nedges.
 * @slot: < NFC_RT_MEM_SLOTS, holding a node (park it first).
 *
 * Return: 0, -ENOENT empty slot, -EINVAL bad index, -ESTALE if @n is no longer owned.
 */
NFC_KFUNC(__s32, nfc_rt_node_connect, struct nfc_rt_node *n, __u32 edge, __u32 slot);

/**
 * nfc_rt_node_disconnect() - clear edge @edge of @n.
 * @n: an acquired node.
 * @edge: < nedges.
 *
 * Return: 1 if the edge was set, 0 if it was empty, -EINVAL bad @edge.
 */
NFC_KFUNC(__s32, nfc_rt_node_disconnect, struct nfc_rt_node *n, __u32 edge);

/**
 * nfc_rt_node_unown() - the container gives @n up: its edges and the slots holding it are
 *                       cleared, it stops counting against max_nodes, and it is freed once the
 *                       last reference (this program's, other nodes' stale edges) is gone.
 * @n: an acquired node.
 *
 * Return: 0, or -ESTALE if it was already unowned.
 */
NFC_KFUNC(__s32, nfc_rt_node_unown, struct nfc_rt_node *n);

/**
 * nfc_rt_node_load() - copy node data bytes [@off, @off + @buf__sz) into @buf.
 * @n: an acquired node (owned or not).
 * @off: byte offset into the node's data.
 * @buf: writable memory.
 * @buf__sz: bytes; @off + @buf__sz <= data_size.
 *
 * Return: 0, or -EINVAL out of range (nothing copied).
 */
NFC_KFUNC(__s32, nfc_rt_node_load, struct nfc_rt_node *n, __u32 off, void *buf, __u32 buf__sz);

/**
 * nfc_rt_node_store() - copy @buf into node data bytes [@off, @off + @buf__sz).
 * @n: an acquired node (owned or not).
 * @off: byte offset into the node's data.
 * @buf: readable memory.
 * @buf__sz: bytes; @off + @buf__sz <= data_size.
 *
 * Return: 0, or -EINVAL out of range (nothing copied).
 */
NFC_KFUNC(__s32, nfc_rt_node_store, struct nfc_rt_node *n, __u32 off, const void *buf,
	  __u32 buf__sz);

#undef NFC_KFUNC
#endif /* NFC_RUNTIME_H */
