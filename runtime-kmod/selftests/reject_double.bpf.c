// SPDX-License-Identifier: GPL-2.0
/* reject_double.bpf.c — MUST NOT load: the same list object released twice. */
#include "selftest.h"

SEC("tc")
int tc_double_release(struct __sk_buff *skb)
{
	struct nfc_rt_lists *l = nfc_rt_lists_new(1, 8, 1);

	if (!l)
		return 0;
	nfc_rt_lists_release(l);
	nfc_rt_lists_release(l);
	return 0;
}
