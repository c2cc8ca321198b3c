// SPDX-License-Identifier: GPL-2.0
/*
 * pop_first.bpf.c — nfc_rt_lists_pop_first (ABI 3) on 200 lists (a summary word over four leaf
 * words in use): the lowest non-empty list of a range wins wherever its bit lives (leaf word 0
 * and 3, a word skipped through the summary), FIFO within a list, the circular range wraps past
 * the last list, a range of empty lists is -ENOENT and writes nothing, count is clamped to
 * nlists, bits clear when a list empties (so the next pop moves on), a popped slot is reusable,
 * bad from/out__sz are -EINVAL; nfc_rt_lists_len(l, NFC_RT_LISTS_ALL) counts every list.
 */
#include "selftest.h"

__u64 order, wrap_list, total_after, empty_ret;

static __always_inline int pop_first_checks(void)
{
	struct nfc_rt_lists *l;
	__u64 e = 0;
	__s32 r;

	CHECK(0, 1); /* reached */
	l = nfc_rt_lists_new(200, 8, 8);
	if (!l) {
		CHECK(1, 0);
		return 0;
	}
	/* elements: list 130 <- 1, 2; list 7 <- 3; list 199 <- 4; list 64 <- 5 */
	e = 1;
	r = nfc_rt_lists_push(l, 130, &e, 8);
	e = 2;
	r |= nfc_rt_lists_push(l, 130, &e, 8);
	e = 3;
	r |= nfc_rt_lists_push(l, 7, &e, 8);
	e = 4;
	r |= nfc_rt_lists_push(l, 199, &e, 8);
	e = 5;
	r |= nfc_rt_lists_push(l, 64, &e, 8);
	CHECK(1, r == 0);
	CHECK(2, nfc_rt_lists_len(l, NFC_RT_LISTS_ALL) == 5 && nfc_rt_lists_len(l, 130) == 2);
	/* range of empty lists: nothing popped, nothing written */
	e = 77;
	empty_ret = nfc_rt_lists_pop_first(l, 8, 56, &e, 8); /* lists 8..63 */
	CHECK(3, empty_ret == -2 && e == 77);
	CHECK(4, nfc_rt_lists_pop_first(l, 8, 0, &e, 8) == -2 && e == 77);
	/* from 8: list 64 (next leaf word) */
	CHECK(5, nfc_rt_lists_pop_first(l, 8, 200, &e, 8) == 64 && e == 5);
	/* from 131 to the end (count 69): list 199 in the last leaf word */
	CHECK(6, nfc_rt_lists_pop_first(l, 131, 69, &e, 8) == 199 && e == 4);
	/* a wrapping range 150..199,0..9 finds list 7 (count 60) */
	wrap_list = nfc_rt_lists_pop_first(l, 150, 60, &e, 8);
	CHECK(7, wrap_list == 7 && e == 3);
	/* list 130 holds 1, 2: FIFO, then its bit clears and the range is empty */
	order = 0;
	r = nfc_rt_lists_pop_first(l, 0, 200, &e, 8);
	order = e;
	r += nfc_rt_lists_pop_first(l, 0, 200, &e, 8);
	order = order * 10 + e;
	CHECK(8, r == 260 && order == 12);
	CHECK(9, nfc_rt_lists_pop_first(l, 0, 0xffffffff, &e, 8) == -2); /* count clamped */
	total_after = nfc_rt_lists_len(l, NFC_RT_LISTS_ALL);
	CHECK(10, total_after == 0);
	/* slots are reusable: 8 pushes fit again, the 9th is full */
	r = 0;
	for (int i = 0; i < 9; i++) {
		e = 100 + i;
		r += nfc_rt_lists_push(l, 199 - i, &e, 8) == 0;
	}
	CHECK(11, r == 8 && nfc_rt_lists_len(l, NFC_RT_LISTS_ALL) == 8);
	/* lowest of 192..199 is 192 (pushed last: e = 107) */
	CHECK(12, nfc_rt_lists_pop_first(l, 0, 200, &e, 8) == 192 && e == 107);
	/* a range starting at the last list wraps to 0 and on to 193 */
	CHECK(13, nfc_rt_lists_pop_first(l, 199, 195, &e, 8) == 199 && e == 100);
	CHECK(14, nfc_rt_lists_pop_first(l, 194, 200, &e, 8) == 194 && e == 105);
	/* bad arguments */
	CHECK(15, nfc_rt_lists_pop_first(l, 200, 1, &e, 8) == -22 &&
		      nfc_rt_lists_pop_first(l, 0, 1, &e, 4) == -22 &&
		      nfc_rt_lists_len(l, 200) == -22);
	nfc_rt_lists_release(l);
	return 0;
}

SEC("xdp")
int xdp_pop_first(struct xdp_md *ctx)
{
	pop_first_checks();
	return XDP_PASS;
}

SEC("tc")
int tc_pop_first(struct __sk_buff *skb)
{
	pop_first_checks();
	return 0;
}
