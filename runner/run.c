/* The `run` command of nfc-runner: BPF_PROG_TEST_RUN on one packet.
 * run PROG DATAHEX [REPEAT] [CPU]
 *  - XDP: no ctx is passed (the kernel builds an xdp_md for the packet).
 *  - SCHED_CLS / SCHED_ACT: a zeroed `struct __sk_buff` is passed as ctx_in (mark, priority,
 *    tstamp = 0; ifindex 0 = loopback) and read back as ctx_out; the reply adds
 *    "skb": {mark, priority, tstamp} so TC verdicts that set them can be checked.
 *  - CPU: the kernel refuses test.cpu for XDP/TC, so the runner pins itself to that CPU
 *    (sched_setaffinity) for the call and restores its mask afterwards; per-CPU maps then see
 *    the updates on that CPU's shard.
 * The output buffer holds the packet plus OUT_SLACK bytes, so programs may grow it. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define OUT_SLACK 4096

/* Pins the calling thread to `cpu`, saving the previous mask in `old`. */
static int pin_cpu(struct runner *r, unsigned long long cpu, cpu_set_t *old)
{
	cpu_set_t set;
	if (cpu >= CPU_SETSIZE)
		return fail(r, EINVAL, "cpu %llu out of range", cpu);
	if (sched_getaffinity(0, sizeof(*old), old))
		return fail(r, errno, "sched_getaffinity: %s", strerror(errno));
	CPU_ZERO(&set);
	CPU_SET((int)cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return fail(r, errno, "cannot run on cpu %llu: %s", cpu, strerror(errno));
	return 0;
}

int cmd_run(struct runner *r, int argc, char **argv)
{
	struct bpf_program *p = bpf_object__find_program_by_name(r->obj, argv[0]);
	if (!p)
		return fail(r, ENOENT, "no program named '%s'", argv[0]);
	unsigned long long repeat = 1, cpu = 0;
	if (argc >= 3 && (parse_uint(argv[2], 1u << 30, &repeat) || repeat == 0))
		return fail(r, 0, "REPEAT must be a positive integer");
	if (argc >= 4 && parse_uint(argv[3], CPU_SETSIZE - 1, &cpu))
		return fail(r, 0, "CPU must be a CPU number");

	enum bpf_prog_type type = bpf_program__type(p);
	int is_tc = type == BPF_PROG_TYPE_SCHED_CLS || type == BPF_PROG_TYPE_SCHED_ACT;
	unsigned char *data, *out;
	size_t len;
	if (arg_hex(r, "data", argv[1], 0, &data, &len))
		return -1;
	out = calloc(1, len + OUT_SLACK);
	if (!out) {
		free(data);
		return fail(r, ENOMEM, "out of memory");
	}
	struct __sk_buff skb_in, skb_out;
	memset(&skb_in, 0, sizeof(skb_in));
	memset(&skb_out, 0, sizeof(skb_out));
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data, .data_size_in = (__u32)len,
		    .data_out = out, .data_size_out = (__u32)(len + OUT_SLACK), .repeat = (int)repeat);
	if (is_tc) {
		opts.ctx_in = &skb_in;
		opts.ctx_size_in = sizeof(skb_in);
		opts.ctx_out = &skb_out;
		opts.ctx_size_out = sizeof(skb_out);
	}

	cpu_set_t old;
	int rc = 0, pinned = argc >= 4;
	if (pinned && pin_cpu(r, cpu, &old)) {
		rc = -1;
		goto out;
	}
	int err = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
	int e = errno;
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
	if (err) {
		rc = fail(r, e, "test_run failed: %s", strerror(e));
		goto out;
	}
	j_key(&r->body, "retval");
	j_uint(&r->body, opts.retval);
	j_key(&r->body, "size");
	j_uint(&r->body, opts.data_size_out);
	j_key(&r->body, "duration_ns");
	j_uint(&r->body, opts.duration);
	j_key(&r->body, "data");
	j_hex(&r->body, out, opts.data_size_out);
	if (is_tc) {
		j_key(&r->body, "skb");
		j_obj_begin(&r->body);
		j_key(&r->body, "mark");
		j_uint(&r->body, skb_out.mark);
		j_key(&r->body, "priority");
		j_uint(&r->body, skb_out.priority);
		j_key(&r->body, "tstamp");
		j_uint(&r->body, skb_out.tstamp);
		j_obj_end(&r->body);
	}
	rc = reply_events(r, -1);
out:
	free(data);
	free(out);
	return rc;
}
