// SPDX-License-Identifier: GPL-2.0
/* reject_progtype.bpf.c — MUST NOT load: the kfunc set is registered for XDP and SCHED_CLS only,
 * not for socket filters. Expected verifier text: see ../vm/initramfs/tests.txt. */
#include "selftest.h"

SEC("socket")
int sock_popcnt(struct __sk_buff *skb)
{
	return nfc_rt_popcnt64(skb->len);
}
