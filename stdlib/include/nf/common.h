/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/common.h - value types shared by generated code and the nfc stdlib.
 *
 * Layouts match lang/types.ts byte for byte (C natural layout). Every value is stored exactly
 * as its bytes appear on the wire: ip4/ip6/mac in network order, and the ports of a flow5 in
 * network (big-endian) order too, even though the language shows them as host-order u16
 * numbers. Hashing and map keys therefore see packet bytes unchanged.
 */
#ifndef NF_COMMON_H
#define NF_COMMON_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <stdbool.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "nfc stdlib assumes a little-endian BPF target (bpfel)"
#endif

/** struct nf_ip6 - an IPv6 address, network byte order (16 bytes, align 4). */
struct nf_ip6 {
	__be32 w[4];
};

/** struct nf_mac - an Ethernet address, wire order (6 bytes, align 1). */
struct nf_mac {
	__u8 b[6];
};

/*
 * Alignment-1 spellings of the wire types, for the members of user headers (packed structs):
 * the generated code may take a member's address (nf_ip6_eq(), map keys, hash inputs), and the
 * address of a packed member of a type aligned more than 1 is -Waddress-of-packed-member.
 */
typedef __be16 nf_ube16 __attribute__((aligned(1)));
typedef __be32 nf_ube32 __attribute__((aligned(1)));
typedef __be64 nf_ube64 __attribute__((aligned(1)));
typedef struct nf_ip6 nf_uip6 __attribute__((aligned(1)));

/**
 * struct nf_flow5 - the IPv4 5-tuple (16 bytes, align 4, padding always zero).
 * @src: source address, network order.
 * @dst: destination address, network order.
 * @sport: source port, network (big-endian) order as in the packet; 0 unless TCP/UDP.
 * @dport: destination port, network order as in the packet; 0 unless TCP/UDP.
 * @proto: IPv4 protocol number.
 * @pad: zero; keys are hashed and compared as all 16 bytes.
 */
struct nf_flow5 {
	__be32 src, dst;
	__be16 sport, dport;
	__u8 proto;
	__u8 pad[3];
};

/*
 * struct nf_lpm4_key, struct nf_lpm6_key - the key of an lpm table (BPF_MAP_TYPE_LPM_TRIE).
 * @prefixlen: bits of @addr that count (host order); a datapath lookup uses 32 / 128.
 * @addr: the address, network order.
 */
struct nf_lpm4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct nf_lpm6_key {
	__u32 prefixlen;
	__u8 addr[16];
};

/*
 * nf_now_ns() - the program's clock: bpf_ktime_get_ns().
 *
 * A test build (clang -DNF_TEST_CLOCK, `nfc test` and the VM tier) reads the clock from the
 * one-entry map nf_test_clock instead, which the test driver sets before every packet to the
 * value the reference interpreter is given, so time-dependent state is compared exactly.
 */
#ifdef NF_TEST_CLOCK
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} nf_test_clock SEC(".maps");

static __always_inline __u64 nf_now_ns(void)
{
	__u32 zero = 0;
	__u64 *t = bpf_map_lookup_elem(&nf_test_clock, &zero);

	return t ? *t : 0;
}
#else
static __always_inline __u64 nf_now_ns(void)
{
	return bpf_ktime_get_ns();
}
#endif

_Static_assert(sizeof(struct nf_ip6) == 16, "nf_ip6 is 16 bytes");
_Static_assert(sizeof(struct nf_mac) == 6, "nf_mac is 6 bytes");
_Static_assert(sizeof(struct nf_flow5) == 16, "nf_flow5 is 16 bytes");

/**
 * nf_bytes_eq() - compare two byte strings of a compile-time constant length.
 * @a: first operand (stack, map value or bounds-checked packet memory of @len bytes).
 * @b: second operand, same constraints.
 * @len: number of bytes; must be a compile-time constant (the loop is unrolled), at most 256.
 *
 * Return: true when all @len bytes are equal.
 */
static __always_inline bool nf_bytes_eq(const void *a, const void *b, __u32 len)
{
	const __u8 *x = a, *y = b;
	__u8 diff = 0;

#pragma clang loop unroll(full)
	for (__u32 i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

/**
 * nf_ip6_eq() - compare two IPv6 addresses.
 * @a: first address (any readable memory holding 16 bytes, 4-byte aligned).
 * @b: second address, same constraints.
 *
 * Return: true when equal.
 */
static __always_inline bool nf_ip6_eq(const struct nf_ip6 *a, const struct nf_ip6 *b)
{
	return ((a->w[0] ^ b->w[0]) | (a->w[1] ^ b->w[1]) | (a->w[2] ^ b->w[2]) |
		(a->w[3] ^ b->w[3])) == 0;
}

/**
 * nf_mac_eq() - compare two Ethernet addresses.
 * @a: first address (6 readable bytes, any alignment).
 * @b: second address, same constraints.
 *
 * Return: true when equal.
 */
static __always_inline bool nf_mac_eq(const struct nf_mac *a, const struct nf_mac *b)
{
	return nf_bytes_eq(a, b, sizeof(*a));
}

/**
 * nf_loop_var() - hide a loop variable's value from the optimizer at the top of each iteration.
 * @v: the counter of a generated `for` loop (an lvalue).
 *
 * Without it clang may fully unroll a loop nest with early exits and leave a path it believes
 * unreachable as an infinite loop (`goto -1`), which the verifier walks and refuses ("infinite
 * loop detected"). The verifier still knows the register's exact value.
 */
#define nf_loop_var(v) asm volatile("" : "+r"(v))

/**
 * nf_index() - a computed array index, hidden from the optimizer after its bounds check.
 * @i: the index (an integer expression), already compared with the array's length.
 *
 * Knowing the index is small (`x % 2`) and the stack array aligned, clang computes the element's
 * address as `fp - 2 | i` instead of `fp - 2 + i`, and the verifier refuses bitwise operations on
 * pointers ("R1 bitwise operator |= on pointer prohibited", FINDINGS F18). The verifier still
 * knows the register's bounds from the compare.
 */
#define nf_index(i)                                                                                \
	({                                                                                         \
		__typeof__(i) nf_index_ = (i);                                                     \
		asm volatile("" : "+r"(nf_index_));                                                \
		nf_index_;                                                                         \
	})

/**
 * nf_atomic_add32() - atomically add @n to *@p, discarding the old value (BPF XADD).
 * @p: a u32 in map-value memory.
 * @n: the amount; hidden from the optimizer so that a known 0 is not folded into an atomic
 *	load, which -mcpu=v1/v2 cannot encode (test/fuzz seed 1170).
 */
static __always_inline void nf_atomic_add32(__u32 *p, __u32 n)
{
	asm volatile("" : "+r"(n));
	__sync_fetch_and_add(p, n);
}

/** nf_atomic_add64() - as nf_atomic_add32() for a u64. */
static __always_inline void nf_atomic_add64(__u64 *p, __u64 n)
{
	asm volatile("" : "+r"(n));
	__sync_fetch_and_add(p, n);
}

/**
 * nf_present() - 1 when @p is not NULL, else 0, as a scalar the compiler cannot see through.
 * @p: a pointer that may be NULL (e.g. a bpf_map_lookup_elem() result).
 *
 * `lookup(a) != NULL || lookup(b) != NULL` may otherwise be compiled into one OR of the two
 * pointers, and the verifier refuses arithmetic on map-value pointers (test/fuzz seed 1056).
 *
 * Return: 0 or 1.
 */
static __always_inline __u64 nf_present(const void *p)
{
	__u64 r;

	asm volatile("%[r] = 1; if %[p] != 0 goto +1; %[r] = 0" : [r] "=&r"(r) : [p] "r"(p));
	return r;
}

#endif /* NF_COMMON_H */
