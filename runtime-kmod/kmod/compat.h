/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h — the kernel API differences between 6.1 and 6.12 that nfc_runtime touches.
 * Every #if lives here; the .c files use only the NFC_* names.
 *   __bpf_kfunc            from 6.2 (6.1: spell out __used noinline)
 *   __bpf_kfunc_start_defs from 6.7 (no-op before: our prototypes come from nfc_runtime.h)
 *   BTF_KFUNCS_START/END   from 6.9; 6.9+ REJECTS a set without the BTF_SET8_KFUNCS flag (-EINVAL)
 */
#ifndef NFC_RT_COMPAT_H
#define NFC_RT_COMPAT_H

#include <linux/btf.h>
#include <linux/btf_ids.h>

#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif

#ifdef __bpf_kfunc_start_defs
#define NFC_KFUNC_DEFS_START __bpf_kfunc_start_defs()
#define NFC_KFUNC_DEFS_END __bpf_kfunc_end_defs()
#else
#define NFC_KFUNC_DEFS_START
#define NFC_KFUNC_DEFS_END
#endif

#ifdef BTF_KFUNCS_START
#define NFC_KFUNCS_START(name) BTF_KFUNCS_START(name)
#define NFC_KFUNCS_END(name) BTF_KFUNCS_END(name)
#else
#define NFC_KFUNCS_START(name) BTF_SET8_START(name)
#define NFC_KFUNCS_END(name) BTF_SET8_END(name)
#endif

#endif /* NFC_RT_COMPAT_H */
