// SPDX-License-Identifier: GPL-2.0
/*
 * lists.c — list buckets: one object holding N FIFO lists of fixed-size elements (timing
 * wheels, bucketed queues). All lists share one pool of `capacity` slots allocated up front
 * (GFP_ATOMIC, one kmalloc), linked by __u32 indices; a free list hands out slots. A full pool
 * is the -ENOSPC result, never an overwrite. Every slot index is checked `< capacity` before it
 * is dereferenced (the public artifact's bound was off by one). One spinlock per object (taken
 * irqsave: TC egress runs with BHs disabled, XDP in softirq); keep one object per CPU in a
 * PERCPU_ARRAY map value for an uncontended per-CPU mode.
 * ABI 3: a two-level bitmap of non-empty lists (one summary word over 64 leaf words: 4096 lists)
 * and the total element count live in the object, maintained by push/pop under the lock, so
 * nfc_rt_lists_pop_first() finds the first non-empty list of a range with two bsf instructions
 * (Eiffel's FFS queue, Carousel's timing wheel) and nfc_rt_lists_len(l, NFC_RT_LISTS_ALL) is O(1).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <nfc_runtime.h>
#include "compat.h"
#include "internal.h"

#define NIL U32_MAX

struct nfc_rt_list_head {
	u32 head, tail, len;
};

#define BM_LEAVES (NFC_RT_LISTS_MAX_LISTS / 64)

struct nfc_rt_lists {
	refcount_t ref;
	spinlock_t lock;
	u32 nlists, elem_size, capacity, stride, free_head, count;
	u64 summary;		/* bit w set iff nonempty[w] != 0 */
	u64 nonempty[BM_LEAVES]; /* bit i of word w set iff list w * 64 + i holds an element */
	struct nfc_rt_list_head *lists;
	u8 *pool; /* capacity slots of stride bytes: { u32 next; u8 elem[elem_size]; } */
};

static __always_inline u32 *slot_next(struct nfc_rt_lists *l, u32 i)
{
	return (u32 *)(l->pool + (size_t)i * l->stride);
}

static __always_inline u8 *slot_elem(struct nfc_rt_lists *l, u32 i)
{
	return l->pool + (size_t)i * l->stride + 4;
}

static __always_inline void bm_set(struct nfc_rt_lists *l, u32 list)
{
	l->nonempty[list >> 6] |= 1ULL << (list & 63);
	l->summary |= 1ULL << (list >> 6);
}

static __always_inline void bm_clear(struct nfc_rt_lists *l, u32 list)
{
	l->nonempty[list >> 6] &= ~(1ULL << (list & 63));
	if (!l->nonempty[list >> 6])
		l->summary &= ~(1ULL << (list >> 6));
}

/* First non-empty list in [lo, hi) (hi <= nlists <= 4096), or NIL: at most two bsf per word. */
static u32 bm_next(const struct nfc_rt_lists *l, u32 lo, u32 hi)
{
	while (lo < hi) {
		u32 w = lo >> 6;
		u64 bits = l->nonempty[w] & (~0ULL << (lo & 63)), s;

		if (bits) {
			lo = (w << 6) + __ffs64(bits);
			return lo < hi ? lo : NIL;
		}
		s = w + 1 < BM_LEAVES ? l->summary & (~0ULL << (w + 1)) : 0;
		if (!s)
			return NIL;
		lo = (u32)__ffs64(s) << 6;
	}
	return NIL;
}

/* Unlink the head of non-empty list @list into @out; caller holds the lock. */
static __always_inline void pop_head(struct nfc_rt_lists *l, u32 list, void *out, u32 out__sz)
{
	struct nfc_rt_list_head *h = &l->lists[list];
	u32 s = h->head;

	memcpy(out, slot_elem(l, s), out__sz);
	h->head = *slot_next(l, s);
	if (h->head >= l->capacity) {
		h->tail = NIL;
		bm_clear(l, list);
	}
	h->len--;
	l->count--;
	*slot_next(l, s) = l->free_head;
	l->free_head = s;
}

static void lists_free(struct nfc_rt_lists *l)
{
	kfree(l);
	atomic_long_dec(&nfc_rt_live_objects);
}

__bpf_kfunc void nfc_rt_lists_dtor(void *p)
{
	struct nfc_rt_lists *l = p;

	/* 6.1's bpf_map_free_kptrs() calls the destructor for empty kptr fields too */
	if (l && refcount_dec_and_test(&l->ref))
		lists_free(l);
}

NFC_KFUNC_DEFS_START;

__bpf_kfunc struct nfc_rt_lists *nfc_rt_lists_new(__u32 nlists, __u32 elem_size, __u32 capacity)
{
	struct nfc_rt_lists *l;
	u32 stride = ALIGN(4 + elem_size, 4), i;
	u64 bytes;

	if (!nlists || nlists > NFC_RT_LISTS_MAX_LISTS || !elem_size ||
	    elem_size > NFC_RT_LISTS_MAX_ELEM || !capacity)
		return NULL;
	bytes = (u64)nlists * sizeof(struct nfc_rt_list_head) + (u64)capacity * stride;
	if (bytes > NFC_RT_LISTS_MAX_BYTES + (u64)capacity * 3)
		return NULL;
	l = kzalloc(sizeof(*l) + bytes, GFP_ATOMIC | __GFP_NOWARN);
	if (!l)
		return NULL;
	atomic_long_inc(&nfc_rt_live_objects);
	refcount_set(&l->ref, 1);
	spin_lock_init(&l->lock);
	l->nlists = nlists;
	l->elem_size = elem_size;
	l->capacity = capacity;
	l->stride = stride;
	l->lists = (struct nfc_rt_list_head *)(l + 1);
	l->pool = (u8 *)(l->lists + nlists);
	for (i = 0; i < nlists; i++)
		l->lists[i].head = l->lists[i].tail = NIL;
	for (i = 0; i < capacity; i++)
		*slot_next(l, i) = i + 1 < capacity ? i + 1 : NIL;
	l->free_head = 0;
	return l;
}

__bpf_kfunc void nfc_rt_lists_release(struct nfc_rt_lists *l)
{
	nfc_rt_lists_dtor(l);
}

__bpf_kfunc __s32 nfc_rt_lists_push(struct nfc_rt_lists *l, __u32 list, const void *elem,
				    __u32 elem__sz)
{
	struct nfc_rt_list_head *h;
	unsigned long flags;
	u32 s;

	if (list >= l->nlists || elem__sz != l->elem_size)
		return -EINVAL;
	h = &l->lists[list];
	spin_lock_irqsave(&l->lock, flags);
	s = l->free_head;
	if (s >= l->capacity) { /* NIL: every slot is in use */
		spin_unlock_irqrestore(&l->lock, flags);
		return -ENOSPC;
	}
	l->free_head = *slot_next(l, s);
	*slot_next(l, s) = NIL;
	memcpy(slot_elem(l, s), elem, elem__sz);
	if (h->tail < l->capacity)
		*slot_next(l, h->tail) = s;
	else
		h->head = s;
	h->tail = s;
	h->len++;
	l->count++;
	bm_set(l, list);
	spin_unlock_irqrestore(&l->lock, flags);
	return 0;
}

__bpf_kfunc __s32 nfc_rt_lists_pop(struct nfc_rt_lists *l, __u32 list, void *out,
				   __u32 out__sz)
{
	unsigned long flags;

	if (list >= l->nlists || out__sz != l->elem_size)
		return -EINVAL;
	spin_lock_irqsave(&l->lock, flags);
	if (l->lists[list].head >= l->capacity) {
		spin_unlock_irqrestore(&l->lock, flags);
		return -ENOENT;
	}
	pop_head(l, list, out, out__sz);
	spin_unlock_irqrestore(&l->lock, flags);
	return 0;
}

__bpf_kfunc __s32 nfc_rt_lists_pop_first(struct nfc_rt_lists *l, __u32 from, __u32 count,
					 void *out, __u32 out__sz)
{
	unsigned long flags;
	u32 end, list;

	if (from >= l->nlists || out__sz != l->elem_size)
		return -EINVAL;
	if (count > l->nlists)
		count = l->nlists;
	end = from + count; /* <= 2 * 4096: no overflow */
	spin_lock_irqsave(&l->lock, flags);
	list = bm_next(l, from, min(end, l->nlists));
	if (list == NIL && end > l->nlists)
		list = bm_next(l, 0, end - l->nlists);
	if (list == NIL) {
		spin_unlock_irqrestore(&l->lock, flags);
		return -ENOENT;
	}
	pop_head(l, list, out, out__sz);
	spin_unlock_irqrestore(&l->lock, flags);
	return list;
}

__bpf_kfunc __s32 nfc_rt_lists_peek(struct nfc_rt_lists *l, __u32 list, void *out,
				    __u32 out__sz)
{
	unsigned long flags;
	u32 s;

	if (list >= l->nlists || out__sz != l->elem_size)
		return -EINVAL;
	spin_lock_irqsave(&l->lock, flags);
	s = l->lists[list].head;
	if (s < l->capacity)
		memcpy(out, slot_elem(l, s), out__sz);
	spin_unlock_irqrestore(&l->lock, flags);
	return s < l->capacity ? 0 : -ENOENT;
}

__bpf_kfunc __s64 nfc_rt_lists_len(struct nfc_rt_lists *l, __u32 list)
{
	if (list == NFC_RT_LISTS_ALL)
		return READ_ONCE(l->count);
	if (list >= l->nlists)
		return -EINVAL;
	return READ_ONCE(l->lists[list].len);
}

NFC_KFUNC_DEFS_END;
