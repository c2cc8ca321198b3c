/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/queue.h - bounded FIFO queues and Eiffel's integer priority queue (pure-BPF backend).
 *
 * Each queue is ONE map value (ARRAY of one entry, or PERCPU_ARRAY with `per_cpu`) that the
 * generated code declares with the structure's element type; the helpers take pointers to its
 * parts plus compile-time constants. The all-zero value is the empty queue, so a fresh map needs
 * no initialisation. No helper is called: a shared queue's operation runs entirely between
 * bpf_spin_lock() and bpf_spin_unlock() on the value's lock (one writer at a time).
 *
 * fifo<T>(capacity): a ring.
 *	struct { struct bpf_spin_lock lock; struct nf_fifo_hdr hdr; __u32 pad; T elem[capacity]; }
 *	element i (0 = oldest) is elem[(head + i) % capacity].
 *
 * pq<T>(priorities, capacity): per-priority FIFO lists linked through one pool of `capacity`
 * slots (so capacity counts elements across all priorities, as runtime-kmod's list buckets do),
 * plus a cFFS bitmap (nf/cffs.h) with one leaf per non-empty priority:
 *	struct { struct bpf_spin_lock lock; struct nf_pq_hdr hdr;
 *		 __u32 head[priorities], tail[priorities];	// slot + 1 of first/last, 0 = empty
 *		 __u32 next[capacity];				// slot + 1 of the successor, 0 = end
 *		 __u64 bm[NF_CFFS_WORDS(levels)]; T elem[capacity]; }
 * Free slots form a stack through next[] (hdr.free = slot + 1 of its top); slots at or above
 * hdr.fresh were never used. A popped slot keeps its bytes until reused.
 */
#ifndef NF_QUEUE_H
#define NF_QUEUE_H

#include "common.h"
#include "cffs.h"

/*
 * nf_q_pin() - an index clang may not recompute or move above its bounds check: without it clang
 * hoisted `base + i * size` above `if (i < n)` and the verifier saw an unbounded offset.
 */
#define nf_q_pin(x) asm volatile("" : "+r"(x))

/**
 * struct nf_fifo_hdr - state of a ring.
 * @head: index of the oldest element, < capacity.
 * @len: elements held, 0..capacity.
 */
struct nf_fifo_hdr {
	__u32 head;
	__u32 len;
};

/**
 * struct nf_pq_hdr - state of a priority queue's slot pool.
 * @len: elements held over all priorities, 0..capacity.
 * @free: slot + 1 of the most recently freed slot (top of the free stack), 0 = none.
 * @fresh: slots [0, fresh) have been used at least once.
 */
struct nf_pq_hdr {
	__u32 len;
	__u32 free;
	__u32 fresh;
};

/**
 * nf_fifo_push() - append a copy of @v.
 * @q: the ring's header.
 * @elems: the ring's elem[] array.
 * @esize: constant, sizeof(T).
 * @cap: constant, capacity >= 1.
 * @v: the element (@esize readable bytes).
 *
 * Return: true, or false when the ring holds @cap elements (nothing changes).
 */
static __always_inline bool nf_fifo_push(struct nf_fifo_hdr *q, void *elems, __u32 esize, __u32 cap,
					 const void *v)
{
	/* indices are 64-bit: a u32 copy would be zero-extended into a register the bounds check
	 * never saw, and the verifier would reject the access */
	__u64 slot = (__u64)q->head + q->len;

	if (q->len >= cap)
		return false;
	if (slot >= cap)
		slot -= cap;
	if (slot >= cap) /* only a corrupted header; also bounds the index for the verifier */
		return false;
	nf_q_pin(slot);
	__builtin_memcpy(elems + slot * esize, v, esize);
	q->len++;
	return true;
}

/**
 * nf_fifo_pop() - remove the oldest element into @out.
 * @q: the ring's header.
 * @elems: the ring's elem[] array.
 * @esize: constant, sizeof(T).
 * @cap: constant, capacity >= 1.
 * @out: @esize writable bytes.
 *
 * Return: true, or false when the ring is empty (@out untouched).
 */
static __always_inline bool nf_fifo_pop(struct nf_fifo_hdr *q, void *elems, __u32 esize, __u32 cap,
					void *out)
{
	__u64 slot = q->head;

	if (!q->len || slot >= cap)
		return false;
	nf_q_pin(slot);
	__builtin_memcpy(out, elems + slot * esize, esize);
	q->head = slot + 1 == cap ? 0 : slot + 1;
	q->len--;
	return true;
}

/**
 * nf_pq_push() - append a copy of @v to priority @rank's FIFO list.
 * @q: the queue's header.
 * @head: head[@prios].
 * @tail: tail[@prios].
 * @next: next[@cap].
 * @bm: the cFFS words, NF_CFFS_WORDS(@levels).
 * @elems: elem[@cap].
 * @esize: constant, sizeof(T).
 * @prios: constant, priorities, 1..64^@levels.
 * @cap: constant, capacity >= 1.
 * @levels: constant, NF_CFFS_LEVELS(@prios).
 * @rank: the priority, lower pops first.
 * @v: the element (@esize readable bytes).
 *
 * Return: true, or false when @rank >= @prios or all @cap slots hold elements (nothing changes).
 */
static __always_inline bool nf_pq_push(struct nf_pq_hdr *q, __u32 *head, __u32 *tail, __u32 *next,
				       __u64 *bm, void *elems, __u32 esize, __u32 prios, __u32 cap,
				       __u32 levels, __u32 rank, const void *v)
{
	__u64 r = rank, s, t;

	if (r >= prios || q->len >= cap)
		return false;
	nf_q_pin(r);
	if (q->free) {
		s = (__u64)q->free - 1;
		if (s >= cap)
			return false;
		nf_q_pin(s);
		q->free = next[s];
	} else {
		s = q->fresh;
		if (s >= cap)
			return false;
		nf_q_pin(s);
		q->fresh = s + 1;
	}
	next[s] = 0;
	__builtin_memcpy(elems + s * esize, v, esize);
	t = (__u64)tail[r] - 1;
	if (head[r] && t < cap) {
		nf_q_pin(t);
		next[t] = s + 1;
	} else
		head[r] = s + 1;
	tail[r] = s + 1;
	nf_cffs_set(bm, levels, r);
	q->len++;
	return true;
}

/**
 * nf_pq_pop_min() - remove the oldest element of the lowest non-empty priority into @out.
 * @q: as for nf_pq_push(), and @head .. @levels likewise.
 * @head: head[@prios].
 * @tail: tail[@prios].
 * @next: next[@cap].
 * @bm: the cFFS words.
 * @elems: elem[@cap].
 * @esize: constant, sizeof(T).
 * @prios: constant.
 * @cap: constant.
 * @levels: constant.
 * @out: @esize writable bytes.
 *
 * Return: true, or false when the queue is empty (@out untouched).
 */
static __always_inline bool nf_pq_pop_min(struct nf_pq_hdr *q, __u32 *head, __u32 *tail,
					  __u32 *next, __u64 *bm, void *elems, __u32 esize,
					  __u32 prios, __u32 cap, __u32 levels, void *out)
{
	__s64 f = nf_cffs_first(bm, levels);
	__u64 r, s;

	if (f < 0)
		return false;
	r = f;
	/* pinned BEFORE the bound check, so the check bounds the register that indexes head[]:
	 * clang merged `f < 0 || f >= prios` into a compare on a copy and 6.1 rejected head[r] */
	nf_q_pin(r);
	if (r >= prios)
		return false;
	s = (__u64)head[r] - 1;
	if (s >= cap) /* head[r] == 0 under a set bit: only a corrupted value */
		return false;
	nf_q_pin(s);
	__builtin_memcpy(out, elems + s * esize, esize);
	head[r] = next[s];
	if (!head[r]) {
		tail[r] = 0;
		nf_cffs_clear(bm, levels, r);
	}
	next[s] = q->free;
	q->free = s + 1;
	q->len--;
	return true;
}

#endif /* NF_QUEUE_H */
