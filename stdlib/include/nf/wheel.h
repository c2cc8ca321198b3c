/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/wheel.h - a Carousel timing wheel in one BPF array-map value (pure-BPF backend).
 *
 * `slots` slots of `tick_ns` each; slot s holds a FIFO list of the elements whose tick
 * (at_ns / tick_ns) is congruent to s. Every element's tick lies in [base, base + slots), base
 * being the cursor's tick, so the circular distance from base's slot orders elements by time.
 * Lists are index-linked through one pool of `capacity` nodes (index + 1 in head/tail/next/free,
 * 0 = none); nodes never used yet are handed out from `fresh` upwards, freed ones go on a free list.
 * A cFFS bitmap (nf/cffs.h layout, 1 level up to 64 slots, 2 up to 4096) marks non-empty slots,
 * so the next due slot is found with at most three word loads and de Bruijn ctz, whatever the
 * distance: pop_due is O(1) per call even when now is many revolutions ahead.
 *
 * The value, after an 8-byte lock word (struct bpf_spin_lock + pad; zero padding when per-CPU):
 *	struct nf_wheel w;		// offset 8
 *	__u64 bits[NF_WHEEL_WORDS(slots)];	// offset 32
 *	__u32 head[slots], tail[slots];
 *	struct { T v; __u32 next; } node[capacity];
 * The helpers take &value->w and find the arrays from the geometry (all compile-time constants),
 * the same offsets as lang/blocks/timer-wheel.ts wheelLayout(). They call nothing, so a shared
 * wheel runs them between bpf_spin_lock() and bpf_spin_unlock() on the value's lock.
 * Semantics of record: lang/interp/kinds/timer-wheel.ts; docs/blocks/timer_wheel.md.
 */
#ifndef NF_WHEEL_H
#define NF_WHEEL_H

#include "common.h"
#include "cffs.h"

/** cFFS levels of a wheel's bitmap: 1 up to 64 slots, else 2 (up to 4096). */
#define NF_WHEEL_LEVELS(slots) ((slots) <= 64 ? 1u : 2u)
/** u64 words of the bitmap: 1 or 65. */
#define NF_WHEEL_WORDS(slots) NF_CFFS_WORDS(NF_WHEEL_LEVELS(slots))

struct nf_wheel {
	__u64 base;  /* tick of the cursor's slot */
	__u32 len;   /* elements on the wheel */
	__u32 free;  /* head of the free node list, index + 1; 0 = empty */
	__u32 fresh; /* nodes [fresh, capacity) were never used */
	__u32 _pad;
};

#define NF_WHEEL_BITS(w) ((__u64 *)((void *)(w) + sizeof(struct nf_wheel)))
#define NF_WHEEL_HEAD(w, slots) ((__u32 *)(NF_WHEEL_BITS(w) + NF_WHEEL_WORDS(slots)))
#define NF_WHEEL_TAIL(w, slots) (NF_WHEEL_HEAD(w, slots) + (slots))
/* Nodes start 8-aligned and their stride is a multiple of 4 (wheelLayout), so every node is
 * 4-aligned: saying so lets clang copy an element with word stores instead of byte stores. */
#define NF_WHEEL_NODE(w, slots, stride, i)                                                         \
	__builtin_assume_aligned((void *)(NF_WHEEL_TAIL(w, slots) + (slots)) + (__u64)(i) * (stride), 4)
/** Offset of a node's `next` (after the element, 4-byte aligned). */
#define NF_WHEEL_NEXT_OFF(elem) (((elem) + 3u) & ~3u)
#define NF_WHEEL_NEXT(w, slots, stride, elem, i)                                                   \
	((__u32 *)(NF_WHEEL_NODE(w, slots, stride, i) + NF_WHEEL_NEXT_OFF(elem)))

/**
 * nf_wheel_next_slot() - the first non-empty slot at or after @p, circularly.
 * @bits: the wheel's cFFS words.
 * @slots: constant, a power of two 2..4096.
 * @p: the start slot, < @slots.
 *
 * Return: the slot, or -1 when every slot is empty.
 */
static __always_inline __s32 nf_wheel_next_slot(const __u64 *bits, __u32 slots, __u32 p)
{
	__u64 m;

	p &= slots - 1;
	if (NF_WHEEL_LEVELS(slots) == 1) {
		m = bits[0] & (~0ULL << p);
		if (m)
			return nf_ctz64(m);
		return bits[0] ? (__s32)nf_ctz64(bits[0]) : -1;
	}
	/* two levels: root word 0, leaf word 1 + (s >> 6) */
	m = bits[1 + ((p >> 6) & 63)] & (~0ULL << (p & 63));
	if (m)
		return (p & ~63u) | nf_ctz64(m);
	m = bits[0] & ((~0ULL << (p >> 6)) << 1); /* leaf words after p's */
	if (m) {
		__u32 i = nf_ctz64(m);

		return (i << 6) | nf_ctz64(bits[1 + (i & 63)]);
	}
	return nf_cffs_first(bits, 2); /* wrapped: the lowest slot overall */
}

/**
 * nf_wheel_schedule() - queue the element @v at time @at.
 * @w: the wheel (&value->w); lock held or per-CPU value.
 * @slots: constant, a power of two 2..4096.
 * @tick: constant, ns per slot.
 * @capacity: constant, nodes in the pool.
 * @stride: constant, bytes per node; @elem: bytes of an element (the node's first member).
 * @at: the time in ns; a tick before base is queued in base's slot.
 * @v: the element (@elem bytes).
 *
 * Return: true when queued; false when the wheel is full (len == capacity) or at / tick is at or
 * beyond the horizon base + slots.
 */
static __always_inline bool nf_wheel_schedule(struct nf_wheel *w, __u32 slots, __u64 tick, __u32 capacity,
					      __u32 stride, __u32 elem, __u64 at, const void *v)
{
	__u32 *head = NF_WHEEL_HEAD(w, slots), *tail = NF_WHEEL_TAIL(w, slots);
	__u64 t = at / tick, n, last;
	__u32 s, *next;

	if (w->len >= capacity)
		return false;
	if (t < w->base)
		t = w->base;
	if (t - w->base >= slots)
		return false;
	s = (__u32)t & (slots - 1);
	if (w->free) {
		n = (__u64)w->free - 1; /* 64-bit: the bound check below is on the register used */
		if (n >= capacity)
			return false; /* corrupt free list: refuse rather than write outside */
		w->free = *NF_WHEEL_NEXT(w, slots, stride, elem, n);
	} else {
		n = w->fresh;
		if (n >= capacity)
			return false;
		w->fresh = (__u32)n + 1;
	}
	next = NF_WHEEL_NEXT(w, slots, stride, elem, n);
	__builtin_memcpy(NF_WHEEL_NODE(w, slots, stride, n), v, elem);
	*next = 0;
	last = (__u64)tail[s] - 1;
	if (last < capacity)
		*NF_WHEEL_NEXT(w, slots, stride, elem, last) = (__u32)n + 1;
	else {
		head[s] = (__u32)n + 1;
		nf_cffs_set(NF_WHEEL_BITS(w), NF_WHEEL_LEVELS(slots), s);
	}
	tail[s] = (__u32)n + 1;
	w->len++;
	return true;
}

/**
 * nf_wheel_pop_due() - remove one element whose slot time is at most @now.
 * @w: the wheel; lock held or per-CPU value.
 * @slots, @tick, @capacity, @stride, @elem: as for nf_wheel_schedule().
 * @now: the time in ns.
 * @out: receives the element (@elem bytes) when one is due.
 *
 * The earliest non-empty slot is the cursor's own when its list is non-empty, else it is found
 * with one bitmap search (circular, from the cursor's slot); if its tick is at most now / tick
 * the cursor moves there and the slot's head is returned, else the cursor moves to now / tick
 * (never backwards). Never loops over slots.
 *
 * Return: true when @out holds an element.
 */
static __always_inline bool nf_wheel_pop_due(struct nf_wheel *w, __u32 slots, __u64 tick, __u32 capacity,
					     __u32 stride, __u32 elem, __u64 now, void *out)
{
	__u32 *head = NF_WHEEL_HEAD(w, slots), *tail = NF_WHEEL_TAIL(w, slots);
	__u64 nt = now / tick, n;
	__u32 p, nx;
	__s32 s;

	p = (__u32)w->base & (slots - 1);
	if (head[p])
		s = (__s32)p; /* the cursor's own slot: no bitmap search (a busy wheel's usual case) */
	else
		s = w->len ? nf_wheel_next_slot(NF_WHEEL_BITS(w), slots, p) : -1;
	if (s < 0 || w->base + (((__u32)s - (__u32)w->base) & (slots - 1)) > nt) {
		if (nt > w->base)
			w->base = nt;
		return false;
	}
	p = (__u32)s & (slots - 1);
	w->base += ((__u32)s - (__u32)w->base) & (slots - 1);
	n = (__u64)head[p] - 1;
	if (n >= capacity)
		return false;
	nx = *NF_WHEEL_NEXT(w, slots, stride, elem, n);
	head[p] = nx;
	if (!nx) {
		tail[p] = 0;
		nf_cffs_clear(NF_WHEEL_BITS(w), NF_WHEEL_LEVELS(slots), p);
	}
	__builtin_memcpy(out, NF_WHEEL_NODE(w, slots, stride, n), elem);
	*NF_WHEEL_NEXT(w, slots, stride, elem, n) = w->free;
	w->free = (__u32)n + 1;
	w->len--;
	return true;
}

/*
 * The kmod backend's wheel (compiler/blocks/kmod/timer-wheel.ts): the slots are the lists of one
 * runtime-kmod list-bucket object (nfc_rt_lists_*, slot s = list s, FIFO, one pool of capacity
 * elements, a non-empty bitmap searched by nfc_rt_lists_pop_first()). The cursor and the count
 * stay beside the object's kptr in the map value; a program changes them only while it holds the
 * object (taken out with bpf_kptr_xchg), which serialises a shared wheel. The helpers below are
 * that bookkeeping: the same rules as nf_wheel_schedule() / nf_wheel_pop_due().
 */
struct nf_wheel_k {
	__u64 base; /* tick of the cursor's slot */
	__u64 made; /* 1 once a program has claimed the creation of the object (64-bit: cmpxchg) */
	__u32 len;  /* elements on the wheel */
	__u32 _pad;
};

/**
 * nf_wheel_k_slot() - the slot (list) an element scheduled at @at goes to.
 * @k: the bookkeeping; the object is held.
 * @slots: constant, a power of two 2..4096.
 * @tick: constant, ns per slot.
 * @capacity: constant, elements of the object's pool.
 * @at: the time in ns; a tick before base is queued in base's slot.
 *
 * Return: the slot, or -1 when the wheel is full or at / tick is at or beyond base + slots.
 */
static __always_inline __s32 nf_wheel_k_slot(const struct nf_wheel_k *k, __u32 slots, __u64 tick,
					     __u32 capacity, __u64 at)
{
	__u64 t = at / tick;

	if (k->len >= capacity)
		return -1;
	if (t < k->base)
		t = k->base;
	if (t - k->base >= slots)
		return -1;
	return (__s32)((__u32)t & (slots - 1));
}

/**
 * nf_wheel_k_due() - how many slots from the cursor's are due at @now (the count argument of
 *                    nfc_rt_lists_pop_first(), from the cursor's slot).
 * @k: the bookkeeping; the object is held.
 * @slots: constant, a power of two.
 * @tick: constant, ns per slot.
 * @now: the time in ns.
 *
 * Return: 0 when the wheel is empty or now / tick is before the cursor, else
 * min(now / tick - base + 1, @slots).
 */
static __always_inline __u32 nf_wheel_k_due(const struct nf_wheel_k *k, __u32 slots, __u64 tick, __u64 now)
{
	__u64 nt = now / tick;

	if (!k->len || nt < k->base)
		return 0;
	return nt - k->base >= slots ? slots : (__u32)(nt - k->base) + 1;
}

/**
 * nf_wheel_k_popped() - move the cursor after nfc_rt_lists_pop_first() returned @r.
 * @k: the bookkeeping; the object is held.
 * @slots: constant, a power of two.
 * @tick: constant, ns per slot.
 * @now: the time in ns.
 * @r: the list an element was popped from, or negative (nothing due).
 *
 * An element popped from slot @r: the cursor moves there (its circular distance from the cursor's
 * slot is within the due count, so base stays at most now / tick) and len drops. Nothing due: the
 * cursor moves to now / tick, never backwards.
 */
static __always_inline void nf_wheel_k_popped(struct nf_wheel_k *k, __u32 slots, __u64 tick, __u64 now,
					      __s32 r)
{
	__u64 nt = now / tick;

	if (r >= 0) {
		k->base += ((__u32)r - (__u32)k->base) & (slots - 1);
		k->len--;
	} else if (nt > k->base) {
		k->base = nt;
	}
}

#endif /* NF_WHEEL_H */
