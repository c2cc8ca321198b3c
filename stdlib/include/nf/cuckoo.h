/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/cuckoo.h - blocked cuckoo hash tables (CuckooSwitch-style) over a BPF array of buckets.
 *
 * One map entry is one bucket of 16 lanes:
 *	struct bucket {
 *		__u16 sig[16];			// 0 = empty lane
 *		struct { K key; V value; } slot[16];	// natural layout, stride rounded to even
 *	};
 * (32 + 16 * stride bytes: sig[] keeps 32-byte alignment in an array of buckets). An empty lane's
 * slot is all zero. A key lives in bucket b1 or b2 = nf_cuckoo_alt(b1, sig): the alternative
 * bucket follows from the bucket and the 16-bit signature alone (partial-key cuckoo), so a
 * displaced entry is moved without rehashing its key. The pure backend derives b1 and the
 * signature from nf_hash64 (nf_cuckoo_b1(), nf_cuckoo_sig()); the kmod backend from CRC-32C
 * (nfc_rt_crc32c + nf_cuckoo_crc_sig()) and searches buckets with nfc_rt_bucket_lookup, then
 * uses the *_at() helpers here. Exact semantics: docs/blocks/cuckoo.md and
 * lang/interp/kinds/cuckoo.ts.
 *
 * Declare a table of `capacity` slots:
 *	struct {
 *		__uint(type, BPF_MAP_TYPE_ARRAY);	// or BPF_MAP_TYPE_PERCPU_ARRAY
 *		__uint(max_entries, capacity / 16);
 *		__type(key, __u32);
 *		__type(value, struct bucket);
 *	} macs SEC(".maps");
 *
 * All size and alignment arguments must be compile-time constants (they fold the copy loops);
 * @ksz/@kalign and @vsz/@valign are sizeof/_Alignof of the key and value types. Concurrency: any
 * number of lock-free readers; writers (insert/remove) must not run concurrently on a shared
 * map (use a PERCPU_ARRAY or write from one CPU). Writers fill a slot before its signature and
 * clear a signature before its slot, so readers never see a half-written key as present.
 */
#ifndef NF_CUCKOO_H
#define NF_CUCKOO_H

#include "common.h"

#define NF_CUCKOO_LANES 16u
#define NF_CUCKOO_SIG_BYTES 32u
#define NF_CUCKOO_MAX_KICKS 16u

#define NF_CUCKOO_ONES 0x0001000100010001ULL
#define NF_CUCKOO_HIGHS 0x8000800080008000ULL

/* Slot geometry from the key/value sizes and alignments (all constants; folds away). */
#define NF_CUCKOO_MAX(a, b) ((a) > (b) ? (a) : (b))
#define NF_CUCKOO_ROUND(n, a) (((n) + (a) - 1) / (a) * (a))
#define NF_CUCKOO_VOFF(ksz, valign) NF_CUCKOO_ROUND(ksz, valign)
#define NF_CUCKOO_STRIDE(ksz, kalign, vsz, valign)                                                 \
	NF_CUCKOO_ROUND(NF_CUCKOO_VOFF(ksz, valign) + (vsz),                                       \
			NF_CUCKOO_MAX(2u, NF_CUCKOO_MAX(kalign, valign)))
/* Largest access unit (8/4/2/1) not above @align that divides @n. */
#define NF_CUCKOO_UNIT(align, n)                                                                   \
	((align) >= 8 && (n) % 8 == 0 ? 8u :                                                       \
	 (align) >= 4 && (n) % 4 == 0 ? 4u :                                                       \
	 (align) >= 2 && (n) % 2 == 0 ? 2u : 1u)

/**
 * nf_cuckoo_b1() - the first bucket of a key from its nf_hash64() @h.
 * @h: nf_hash64(key, ksz, seed).
 * @mask: buckets - 1 (buckets a power of two).
 */
static __always_inline __u32 nf_cuckoo_b1(__u64 h, __u32 mask)
{
	return (__u32)h & mask;
}

/**
 * nf_cuckoo_sig() - the 16-bit signature of a key from its nf_hash64() @h: bits 48..63, 0 → 1.
 * @h: nf_hash64(key, ksz, seed).
 */
static __always_inline __u32 nf_cuckoo_sig(__u64 h)
{
	__u32 s = (__u32)(h >> 48);

	return s ? s : 1;
}

/**
 * nf_cuckoo_crc_sig() - the signature of a key from its CRC-32C @c (kmod backend):
 * the high half of c * 0x9e3779b1 (u32), 0 → 1. Its first bucket is c & mask.
 * @c: nfc_rt_crc32c((u32)seed, key, ksz).
 */
static __always_inline __u32 nf_cuckoo_crc_sig(__u32 c)
{
	__u32 s = (c * 0x9e3779b1u) >> 16;

	return s ? s : 1;
}

/**
 * nf_cuckoo_alt() - the other bucket of an entry in bucket @b with signature @sig.
 * @b: bucket index.
 * @sig: the entry's signature.
 * @mask: buckets - 1.
 *
 * Return: (b ^ (u32)(sig * 0x5bd1e995)) & mask; an involution: alt(alt(b)) == b.
 */
static __always_inline __u32 nf_cuckoo_alt(__u32 b, __u32 sig, __u32 mask)
{
	return (b ^ (sig * 0x5bd1e995u)) & mask;
}

/**
 * nf_cuckoo_bucket() - pointer to bucket @b of the table's map, or NULL.
 * @map: the table's ARRAY / PERCPU_ARRAY map.
 * @b: bucket index (< buckets).
 */
static __always_inline void *nf_cuckoo_bucket(void *map, __u32 b)
{
	__u32 key = b;

	return bpf_map_lookup_elem(map, &key);
}

/**
 * nf_cuckoo_eq() - compare @len bytes in units of @unit bytes (both constants).
 * @a: first buffer (aligned to @unit).
 * @b: second buffer (aligned to @unit).
 * @len: bytes, a multiple of @unit.
 * @unit: 8, 4, 2 or 1.
 */
static __always_inline bool nf_cuckoo_eq(const void *a, const void *b, __u32 len, __u32 unit)
{
	const __u8 *x = a, *y = b;
	__u32 i;

	for (i = 0; i < len; i += unit) {
		if (unit == 8 && *(const __u64 *)(x + i) != *(const __u64 *)(y + i))
			return false;
		if (unit == 4 && *(const __u32 *)(x + i) != *(const __u32 *)(y + i))
			return false;
		if (unit == 2 && *(const __u16 *)(x + i) != *(const __u16 *)(y + i))
			return false;
		if (unit == 1 && x[i] != y[i])
			return false;
	}
	return true;
}

/**
 * nf_cuckoo_copy() - copy (or zero, when @src is NULL) @len bytes in units of @unit (constants).
 * @dst: destination (aligned to @unit).
 * @src: source (aligned to @unit) or NULL.
 * @len: bytes, a multiple of @unit.
 * @unit: 8, 4, 2 or 1.
 */
static __always_inline void nf_cuckoo_copy(void *dst, const void *src, __u32 len, __u32 unit)
{
	__u8 *d = dst;
	const __u8 *s = src;
	__u32 i;

	for (i = 0; i < len; i += unit) {
		if (unit == 8)
			*(__u64 *)(d + i) = s ? *(const __u64 *)(s + i) : 0;
		if (unit == 4)
			*(__u32 *)(d + i) = s ? *(const __u32 *)(s + i) : 0;
		if (unit == 2)
			*(__u16 *)(d + i) = s ? *(const __u16 *)(s + i) : 0;
		if (unit == 1)
			d[i] = s ? s[i] : 0;
	}
}

/**
 * nf_cuckoo_slot() - pointer to lane @lane's slot (key at +0, value at +voff).
 * @bk: the bucket.
 * @lane: 0..15 (masked).
 * @stride: slot bytes, NF_CUCKOO_STRIDE().
 */
static __always_inline __u8 *nf_cuckoo_slot(void *bk, __u32 lane, __u32 stride)
{
	return (__u8 *)bk + NF_CUCKOO_SIG_BYTES + (lane & 15) * stride;
}

/*
 * SWAR lane compare: in w ^ broadcast(sig), a lane equal to sig is 0; (x - 0x0001..) & ~x &
 * 0x8000.. sets bit 15 of every zero lane (exact for the lowest one; a borrow can mark a lane
 * above a true zero, so candidates are confirmed against sig[] before the key compare).
 */
#define NF_CUCKOO_ZERO_LANES(x) (((x) - NF_CUCKOO_ONES) & ~(x) & NF_CUCKOO_HIGHS)

/**
 * nf_cuckoo_find() - lane of @key in one bucket: 4 SWAR word compares of the signatures, then
 * the full key on candidate lanes.
 * @bk: the bucket.
 * @sig: the key's signature, 1..0xffff.
 * @key: the key (stack, aligned to @kalign).
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @stride: constant, NF_CUCKOO_STRIDE().
 *
 * Return: the lowest matching lane 0..15, or -1.
 */
static __always_inline int nf_cuckoo_find(void *bk, __u32 sig, const void *key, __u32 ksz,
					  __u32 kalign, __u32 stride)
{
	const __u64 *w = bk;
	const __u16 *s = bk;
	__u64 pat = (__u64)sig * NF_CUCKOO_ONES;
	__u64 m;

#define NF_CUCKOO_CAND(wi, q)                                                                      \
	if ((m & (1ULL << (16 * (q) + 15))) && s[(wi) * 4 + (q)] == sig &&                          \
	    nf_cuckoo_eq(nf_cuckoo_slot(bk, (wi) * 4 + (q), stride), key, ksz,                        \
			 NF_CUCKOO_UNIT(kalign, ksz)))                                            \
		return (wi) * 4 + (q);
#define NF_CUCKOO_WORD(wi)                                                                         \
	m = NF_CUCKOO_ZERO_LANES(w[wi] ^ pat);                                                     \
	if (m) {                                                                                   \
		NF_CUCKOO_CAND(wi, 0) NF_CUCKOO_CAND(wi, 1) NF_CUCKOO_CAND(wi, 2)                  \
		NF_CUCKOO_CAND(wi, 3)                                                              \
	}
	NF_CUCKOO_WORD(0) NF_CUCKOO_WORD(1) NF_CUCKOO_WORD(2) NF_CUCKOO_WORD(3)
#undef NF_CUCKOO_WORD
#undef NF_CUCKOO_CAND
	return -1;
}

/**
 * nf_cuckoo_free() - lowest empty lane of a bucket (SWAR has-zero-lane), or -1 when full.
 * @bk: the bucket.
 */
static __always_inline int nf_cuckoo_free(void *bk)
{
	const __u64 *w = bk;
	__u64 m;

#define NF_CUCKOO_FREE_WORD(wi)                                                                    \
	m = NF_CUCKOO_ZERO_LANES(w[wi]);                                                           \
	if (m)                                                                                     \
		return (wi) * 4 + ((m & 0x8000) ? 0 : (m & 0x80000000) ? 1 :                       \
				   (m & 0x800000000000ULL) ? 2 : 3);
	NF_CUCKOO_FREE_WORD(0) NF_CUCKOO_FREE_WORD(1) NF_CUCKOO_FREE_WORD(2) NF_CUCKOO_FREE_WORD(3)
#undef NF_CUCKOO_FREE_WORD
	return -1;
}

/**
 * nf_cuckoo_value_at() - pointer to the value of lane @lane of @bk, or NULL when @bk is NULL or
 * @lane < 0 (a lookup's "absent").
 * @bk: the bucket holding the key, or NULL.
 * @lane: its lane, or negative.
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @vsz: constant, value bytes.
 * @valign: constant, value alignment.
 */
static __always_inline void *nf_cuckoo_value_at(void *bk, int lane, __u32 ksz, __u32 kalign,
						__u32 vsz, __u32 valign)
{
	if (!bk || lane < 0)
		return NULL;
	return nf_cuckoo_slot(bk, lane, NF_CUCKOO_STRIDE(ksz, kalign, vsz, valign)) +
	       NF_CUCKOO_VOFF(ksz, valign);
}

/**
 * nf_cuckoo_remove_at() - empty lane @lane of @bk: signature first, then the slot is zeroed.
 * @bk: the bucket holding the key, or NULL.
 * @lane: its lane, or negative.
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @vsz: constant, value bytes.
 * @valign: constant, value alignment.
 *
 * Return: true when a lane was emptied (false: the key was absent).
 */
static __always_inline bool nf_cuckoo_remove_at(void *bk, int lane, __u32 ksz, __u32 kalign,
						__u32 vsz, __u32 valign)
{
	__u32 stride = NF_CUCKOO_STRIDE(ksz, kalign, vsz, valign);

	if (!bk || lane < 0)
		return false;
	*(volatile __u16 *)((__u16 *)bk + (lane & 15)) = 0;
	nf_cuckoo_copy(nf_cuckoo_slot(bk, lane, stride), NULL, stride,
		       NF_CUCKOO_UNIT(NF_CUCKOO_MAX(2u, NF_CUCKOO_MAX(kalign, valign)), stride));
	return true;
}

/**
 * nf_cuckoo_locate() - bucket and lane of a key (pure backend): b1, then b2.
 * @map: the table's map.
 * @mask: constant, buckets - 1.
 * @b1: nf_cuckoo_b1().
 * @sig: nf_cuckoo_sig().
 * @key: the key (stack).
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @stride: constant, NF_CUCKOO_STRIDE().
 * @lane: out: the lane, or -1.
 *
 * Return: the bucket holding the key (*@lane its lane), or NULL.
 */
/**
 * nf_cuckoo_forget() - internal: @lane as a value the verifier does not know exactly.
 * @lane: 0..15, a constant in each of the verifier's states (one per return of the scan).
 * @sig: any scalar the verifier does not know (the key's signature).
 *
 * Each lane a scan can return is a state of its own, and a pointer into that lane keeps it apart
 * from the others while it lives: two table values held at once were walked once per pair of
 * lanes, and the states of a later scan multiplied with them (FINDINGS F28: 1M instructions).
 * XORed twice with an unknown, the lane is unknown to the verifier and the same in every state,
 * so they prune; the mask bounds it again. The value is unchanged.
 */
static __always_inline int nf_cuckoo_forget(int lane, __u32 sig)
{
	__u64 l = (__u32)lane, x = sig;

	asm volatile("%0 ^= %1; %0 ^= %1" : "+r"(l) : "r"(x));
	return l & 15;
}

static __always_inline void *nf_cuckoo_locate(void *map, __u32 mask, __u32 b1, __u32 sig,
					      const void *key, __u32 ksz, __u32 kalign,
					      __u32 stride, int *lane)
{
	void *bk = nf_cuckoo_bucket(map, b1);
	int l;

	if (bk) {
		l = nf_cuckoo_find(bk, sig, key, ksz, kalign, stride);
		if (l >= 0) {
			*lane = nf_cuckoo_forget(l, sig);
			return bk;
		}
	}
	bk = nf_cuckoo_bucket(map, nf_cuckoo_alt(b1, sig, mask));
	if (bk) {
		l = nf_cuckoo_find(bk, sig, key, ksz, kalign, stride);
		if (l >= 0) {
			*lane = nf_cuckoo_forget(l, sig);
			return bk;
		}
	}
	*lane = -1;
	return NULL;
}

/**
 * nf_cuckoo_get() - pointer to the key's value, or NULL (pure backend).
 * @map: the table's map.
 * @mask: constant, buckets - 1.
 * @b1: nf_cuckoo_b1().
 * @sig: nf_cuckoo_sig().
 * @key: the key (stack).
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @vsz: constant, value bytes.
 * @valign: constant, value alignment.
 */
static __always_inline void *nf_cuckoo_get(void *map, __u32 mask, __u32 b1, __u32 sig,
					   const void *key, __u32 ksz, __u32 kalign, __u32 vsz,
					   __u32 valign)
{
	int lane;
	void *bk = nf_cuckoo_locate(map, mask, b1, sig, key, ksz, kalign,
				    NF_CUCKOO_STRIDE(ksz, kalign, vsz, valign), &lane);

	return nf_cuckoo_value_at(bk, lane, ksz, kalign, vsz, valign);
}

/**
 * nf_cuckoo_remove() - delete a key (pure backend). Arguments as for nf_cuckoo_get().
 * @map: the table's map.
 * @mask: constant, buckets - 1.
 * @b1: nf_cuckoo_b1().
 * @sig: nf_cuckoo_sig().
 * @key: the key (stack).
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @vsz: constant, value bytes.
 * @valign: constant, value alignment.
 *
 * Return: true when the key was present.
 */
static __always_inline bool nf_cuckoo_remove(void *map, __u32 mask, __u32 b1, __u32 sig,
					     const void *key, __u32 ksz, __u32 kalign, __u32 vsz,
					     __u32 valign)
{
	int lane;
	void *bk = nf_cuckoo_locate(map, mask, b1, sig, key, ksz, kalign,
				    NF_CUCKOO_STRIDE(ksz, kalign, vsz, valign), &lane);

	return nf_cuckoo_remove_at(bk, lane, ksz, kalign, vsz, valign);
}

/* insertion with bounded displacement: nf_cuckoo_insert_at(), nf_cuckoo_insert() */
#include "cuckoo-insert.h"

#endif /* NF_CUCKOO_H */
