// SPDX-License-Identifier: GPL-2.0
/*
 * mem.c — the memory wrapper for linked structures: a container (kept as a referenced kptr in
 * a map value, destructor registered) owning every node it allocated.
 *
 * Reference counts. node->ref: one for the owning container while owned, one per edge or slot
 * pointing at it, one per program reference. mem->users: container references (program or
 * map); at zero the container unowns every node. mem->life: keeps the container's memory (its
 * lock, its kmem_cache choice) valid: one for users > 0 plus one per allocated node, so a node a
 * program still holds can always take its home's lock. Edges and slots only ever point inside
 * one container, every mutation holds home->lock, and a node that is no longer owned is never
 * returned by follow (its stale edge is cleared then): the lazy use-after-unown protection.
 *
 * Allocation: kmem_cache_zalloc(GFP_ATOMIC) from size-class caches created at module load
 * (stock kernels export no bpf_mem_alloc). Every container and node counts in live_objects.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/list.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <nfc_runtime.h>
#include "compat.h"
#include "internal.h"

struct nfc_rt_mem {
	refcount_t users;
	refcount_t life;
	spinlock_t lock;
	u32 data_size, nedges, max_nodes, count;
	struct kmem_cache *cache;
	struct list_head nodes; /* owned nodes */
	struct nfc_rt_node *slot[NFC_RT_MEM_SLOTS];
};

struct nfc_rt_node {
	refcount_t ref;
	u32 owned; /* under home->lock */
	struct nfc_rt_mem *home;
	struct list_head link;
	struct nfc_rt_node *edge[]; /* home->nedges edges, then home->data_size bytes */
};

static const u32 node_class[] = { 64, 128, 256, 512, 1024 };
static struct kmem_cache *node_cache[ARRAY_SIZE(node_class)];
static struct kmem_cache *mem_cache;

int nfc_rt_mem_init(void)
{
	char name[32];
	int i;

	mem_cache = kmem_cache_create("nfc_rt_mem", sizeof(struct nfc_rt_mem), 0, 0, NULL);
	if (!mem_cache)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(node_class); i++) {
		snprintf(name, sizeof(name), "nfc_rt_node_%u", node_class[i]);
		node_cache[i] = kmem_cache_create(name, node_class[i], 8, 0, NULL);
		if (!node_cache[i]) {
			nfc_rt_mem_exit();
			return -ENOMEM;
		}
	}
	return 0;
}

void nfc_rt_mem_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(node_class); i++) {
		kmem_cache_destroy(node_cache[i]);
		node_cache[i] = NULL;
	}
	kmem_cache_destroy(mem_cache);
	mem_cache = NULL;
}

static __always_inline u8 *nd_bytes(struct nfc_rt_node *n)
{
	return (u8 *)&n->edge[n->home->nedges];
}

static void mem_life_put(struct nfc_rt_mem *m)
{
	if (refcount_dec_and_test(&m->life)) {
		kmem_cache_free(mem_cache, m);
		atomic_long_dec(&nfc_rt_live_objects);
	}
}

/* Callers never drop the last life reference of n->home while holding home->lock: whoever
 * holds the lock also holds a users reference or a node (which holds a life reference). */
static void node_put(struct nfc_rt_node *n)
{
	struct nfc_rt_mem *m;

	if (!refcount_dec_and_test(&n->ref))
		return;
	m = n->home;
	kmem_cache_free(m->cache, n);
	atomic_long_dec(&nfc_rt_live_objects);
	mem_life_put(m);
}

static void clear_edges(struct nfc_rt_node *n)
{
	u32 i;

	for (i = 0; i < n->home->nedges; i++) {
		if (n->edge[i]) {
			node_put(n->edge[i]);
			n->edge[i] = NULL;
		}
	}
}

static void mem_destroy(struct nfc_rt_mem *m)
{
	struct nfc_rt_node *n, *tmp;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&m->lock, flags);
	for (i = 0; i < NFC_RT_MEM_SLOTS; i++) {
		if (m->slot[i]) {
			node_put(m->slot[i]);
			m->slot[i] = NULL;
		}
	}
	/* pass 1: break every edge (owned nodes keep their owner reference: none is freed) */
	list_for_each_entry(n, &m->nodes, link)
		clear_edges(n);
	/* pass 2: drop ownership; a node nobody else holds is freed here */
	list_for_each_entry_safe(n, tmp, &m->nodes, link) {
		list_del_init(&n->link);
		n->owned = 0;
		node_put(n);
	}
	m->count = 0;
	spin_unlock_irqrestore(&m->lock, flags);
	mem_life_put(m);
}

__bpf_kfunc void nfc_rt_mem_dtor(void *p)
{
	struct nfc_rt_mem *m = p;

	/* 6.1's bpf_map_free_kptrs() calls the destructor for empty kptr fields too */
	if (m && refcount_dec_and_test(&m->users))
		mem_destroy(m);
}

NFC_KFUNC_DEFS_START;

__bpf_kfunc struct nfc_rt_mem *nfc_rt_mem_new(__u32 data_size, __u32 nedges, __u32 max_nodes)
{
	u64 size = 32 + 8ull * nedges + data_size;
	struct nfc_rt_mem *m;
	int c;

	if (!data_size || nedges > NFC_RT_MEM_MAX_EDGES || size > NFC_RT_MEM_MAX_NODE ||
	    !max_nodes || max_nodes > NFC_RT_MEM_MAX_NODES)
		return NULL;
	BUILD_BUG_ON(offsetof(struct nfc_rt_node, edge) != 32);
	for (c = 0; node_class[c] < size; c++)
		;
	m = kmem_cache_zalloc(mem_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!m)
		return NULL;
	atomic_long_inc(&nfc_rt_live_objects);
	refcount_set(&m->users, 1);
	refcount_set(&m->life, 1);
	spin_lock_init(&m->lock);
	INIT_LIST_HEAD(&m->nodes);
	m->data_size = data_size;
	m->nedges = nedges;
	m->max_nodes = max_nodes;
	m->cache = node_cache[c];
	return m;
}

__bpf_kfunc void nfc_rt_mem_release(struct nfc_rt_mem *m)
{
	nfc_rt_mem_dtor(m);
}

__bpf_kfunc __u32 nfc_rt_mem_count(struct nfc_rt_mem *m)
{
	return READ_ONCE(m->count);
}

__bpf_kfunc struct nfc_rt_node *nfc_rt_mem_slot(struct nfc_rt_mem *m, __u32 slot)
{
	struct nfc_rt_node *n;
	unsigned long flags;

	if (slot >= NFC_RT_MEM_SLOTS)
		return NULL;
	spin_lock_irqsave(&m->lock, flags);
	n = m->slot[slot];
	if (n)
		refcount_inc(&n->ref);
	spin_unlock_irqrestore(&m->lock, flags);
	return n;
}

__bpf_kfunc __s32 nfc_rt_mem_clear(struct nfc_rt_mem *m, __u32 slot)
{
	unsigned long flags;

	if (slot >= NFC_RT_MEM_SLOTS)
		return -EINVAL;
	spin_lock_irqsave(&m->lock, flags);
	if (m->slot[slot]) {
		node_put(m->slot[slot]);
		m->slot[slot] = NULL;
	}
	spin_unlock_irqrestore(&m->lock, flags);
	return 0;
}

__bpf_kfunc struct nfc_rt_node *nfc_rt_node_new(struct nfc_rt_mem *m)
{
	struct nfc_rt_node *n;
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	if (m->count >= m->max_nodes) {
		spin_unlock_irqrestore(&m->lock, flags);
		return NULL;
	}
	m->count++; /* reserve */
	spin_unlock_irqrestore(&m->lock, flags);

	n = kmem_cache_zalloc(m->cache, GFP_ATOMIC | __GFP_NOWARN);
	spin_lock_irqsave(&m->lock, flags);
	if (!n) {
		m->count--;
		spin_unlock_irqrestore(&m->lock, flags);
		return NULL;
	}
	atomic_long_inc(&nfc_rt_live_objects);
	refcount_set(&n->ref, 2); /* the container's and the program's */
	refcount_inc(&m->life);
	n->home = m;
	n->owned = 1;
	list_add_tail(&n->link, &m->nodes);
	spin_unlock_irqrestore(&m->lock, flags);
	return n;
}

__bpf_kfunc void nfc_rt_node_release(struct nfc_rt_node *n)
{
	node_put(n);
}

__bpf_kfunc struct nfc_rt_node *nfc_rt_node_follow(struct nfc_rt_node *n, __u32 edge)
{
	struct nfc_rt_mem *m = n->home;
	struct nfc_rt_node *t;
	unsigned long flags;

	if (edge >= m->nedges)
		return NULL;
	spin_lock_irqsave(&m->lock, flags);
	t = n->edge[edge];
	if (t && !t->owned) { /* lazy: the target was unowned since the edge was made */
		n->edge[edge] = NULL;
		node_put(t);
		t = NULL;
	}
	if (t)
		refcount_inc(&t->ref);
	spin_unlock_irqrestore(&m->lock, flags);
	return t;
}

__bpf_kfunc __s32 nfc_rt_node_park(struct nfc_rt_node *n, __u32 slot)
{
	struct nfc_rt_mem *m = n->home;
	struct nfc_rt_node *old;
	unsigned long flags;

	if (slot >= NFC_RT_MEM_SLOTS)
		return -EINVAL;
	spin_lock_irqsave(&m->lock, flags);
	if (!n->owned) {
		spin_unlock_irqrestore(&m->lock, flags);
		return -ESTALE;
	}
	refcount_inc(&n->ref);
	old = m->slot[slot];
	m->slot[slot] = n;
	if (old)
		node_put(old);
	spin_unlock_irqrestore(&m->lock, flags);
	return 0;
}

__bpf_kfunc __s32 nfc_rt_node_connect(struct nfc_rt_node *n, __u32 edge, __u32 slot)
{
	struct nfc_rt_mem *m = n->home;
	struct nfc_rt_node *t, *old;
	unsigned long flags;
	s32 ret = 0;

	if (edge >= m->nedges || slot >= NFC_RT_MEM_SLOTS)
		return -EINVAL;
	spin_lock_irqsave(&m->lock, flags);
	t = m->slot[slot];
	if (!n->owned) {
		ret = -ESTALE;
	} else if (!t) {
		ret = -ENOENT;
	} else {
		refcount_inc(&t->ref);
		old = n->edge[edge];
		n->edge[edge] = t;
		if (old)
			node_put(old);
	}
	spin_unlock_irqrestore(&m->lock, flags);
	return ret;
}

__bpf_kfunc __s32 nfc_rt_node_disconnect(struct nfc_rt_node *n, __u32 edge)
{
	struct nfc_rt_mem *m = n->home;
	struct nfc_rt_node *old;
	unsigned long flags;

	if (edge >= m->nedges)
		return -EINVAL;
	spin_lock_irqsave(&m->lock, flags);
	old = n->edge[edge];
	n->edge[edge] = NULL;
	if (old)
		node_put(old);
	spin_unlock_irqrestore(&m->lock, flags);
	return old ? 1 : 0;
}

__bpf_kfunc __s32 nfc_rt_node_unown(struct nfc_rt_node *n)
{
	struct nfc_rt_mem *m = n->home;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&m->lock, flags);
	if (!n->owned) {
		spin_unlock_irqrestore(&m->lock, flags);
		return -ESTALE;
	}
	n->owned = 0;
	list_del_init(&n->link);
	m->count--;
	clear_edges(n);
	for (i = 0; i < NFC_RT_MEM_SLOTS; i++) {
		if (m->slot[i] == n) {
			m->slot[i] = NULL;
			node_put(n);
		}
	}
	node_put(n); /* the container's reference; the caller still holds one */
	spin_unlock_irqrestore(&m->lock, flags);
	return 0;
}

__bpf_kfunc __s32 nfc_rt_node_load(struct nfc_rt_node *n, __u32 off, void *buf, __u32 buf__sz)
{
	if ((u64)off + buf__sz > n->home->data_size)
		return -EINVAL;
	memcpy(buf, nd_bytes(n) + off, buf__sz);
	return 0;
}

__bpf_kfunc __s32 nfc_rt_node_store(struct nfc_rt_node *n, __u32 off, const void *buf,
				    __u32 buf__sz)
{
	if ((u64)off + buf__sz > n->home->data_size)
		return -EINVAL;
	memcpy(nd_bytes(n) + off, buf, buf__sz);
	return 0;
}

NFC_KFUNC_DEFS_END;
