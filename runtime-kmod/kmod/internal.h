/* SPDX-License-Identifier: GPL-2.0 */
/* internal.h — state shared between the module's files (never seen by BPF). */
#ifndef NFC_RT_INTERNAL_H
#define NFC_RT_INTERNAL_H

#include <linux/atomic.h>
#include <linux/types.h>

/* Objects the module currently owns on behalf of BPF programs (nodes, containers, ...).
 * Every allocation path increments it, every free decrements it; tests read it through
 * /sys/module/nfc_runtime/parameters/live_objects and expect 0 once programs/maps are gone. */
extern atomic_long_t nfc_rt_live_objects;

/* Implementation choices made once at load (enum nfc_rt_feature bits). */
extern u32 nfc_rt_feature_mask;

void nfc_rt_crc32c_init(void);

/* mem.c: size-class kmem_caches; destructors registered for kptrs in map values. */
int nfc_rt_mem_init(void);
void nfc_rt_mem_exit(void);
void nfc_rt_mem_dtor(void *p);
void nfc_rt_lists_dtor(void *p);

#endif /* NFC_RT_INTERNAL_H */
