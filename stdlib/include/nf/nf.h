/* SPDX-License-Identifier: GPL-2.0 */
/* nf/nf.h - the whole nfc stdlib; generated code includes only this (with -I stdlib/include). */
#ifndef NF_NF_H
#define NF_NF_H

#include "common.h"
#include "parse.h"
#include "csum.h"
#include "hash.h"
#include "sketch.h"
#include "cuckoo.h"
#include "count_sketch.h"
#include "nitro.h"
#include "wheel.h"
#include "topk.h"
#include "topk_kmod.h"
#include "hll.h"
#include "queue.h"
#include "ordered.h"
#include "ordered_kmod.h"
#include "payload.h"

#endif /* NF_NF_H */
