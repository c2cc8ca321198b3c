/* The `runtrace` command of nfc-runner: replays a trace file through one program, one
 * BPF_PROG_TEST_RUN (repeat=1) per frame, for benchmarks (method: /DESIGN.md section 7).
 * runtrace PROG FILE [CPU]
 *  - FILE: the 8-byte magic "NFCTRC01", then frames, each a little-endian u32 length followed
 *    by that many bytes (14..65535). Written by compiler/bench/trace.ts.
 *  - CPU: pins the runner to that CPU for the whole replay (per-CPU maps then see one shard,
 *    and every frame runs on the same core); the previous mask is restored afterwards.
 *  - XDP gets no ctx; SCHED_CLS/ACT get a zeroed `struct __sk_buff` (as `run` does).
 *  - No output packet is copied back (data_out is NULL): only the verdict and the time count.
 * Reply: count, duration_ns (sum of the kernel-reported per-run durations), min_ns, max_ns, and
 * retvals: [[retval, frames], ...] sorted by retval. A failed run stops the replay (NF5010). */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define TRACE_MAGIC "NFCTRC01"
#define TRACE_MAX_FRAME 65535u
#define MAX_RETVALS 64

struct retval_count {
	unsigned int retval;
	unsigned long long n;
};

static int read_file(struct runner *r, const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(r, errno, "cannot open trace '%s': %s", path, strerror(errno));
	size_t cap = 1u << 20, n = 0;
	unsigned char *b = malloc(cap);
	while (b) {
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		unsigned char *nb = realloc(b, cap * 2);
		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (!b)
		return fail(r, ENOMEM, "out of memory reading trace");
	if (bad) {
		free(b);
		return fail(r, EIO, "cannot read trace '%s'", path);
	}
	*buf = b;
	*len = n;
	return 0;
}

static int count_retval(struct retval_count *rv, int *nrv, unsigned int retval)
{
	for (int i = 0; i < *nrv; i++) {
		if (rv[i].retval == retval) {
			rv[i].n++;
			return 0;
		}
	}
	if (*nrv >= MAX_RETVALS)
		return -1;
	rv[*nrv].retval = retval;
	rv[*nrv].n = 1;
	(*nrv)++;
	return 0;
}

static int cmp_retval(const void *a, const void *b)
{
	const struct retval_count *x = a, *y = b;
	return x->retval < y->retval ? -1 : x->retval > y->retval;
}

/* Runs every frame of buf[0..len) through program fd; fills the totals. */
static int replay(struct runner *r, int fd, int is_tc, const unsigned char *buf, size_t len,
		  unsigned long long *count, unsigned long long *total, unsigned long long *min_ns,
		  unsigned long long *max_ns, struct retval_count *rv, int *nrv)
{
	struct __sk_buff skb_in, skb_out;
	size_t off = sizeof(TRACE_MAGIC) - 1;
	while (off < len) {
		if (len - off < 4)
			return fail(r, 0, "trace: truncated frame header at byte %zu", off);
		unsigned int flen = (unsigned int)buf[off] | (unsigned int)buf[off + 1] << 8 |
				    (unsigned int)buf[off + 2] << 16 | (unsigned int)buf[off + 3] << 24;
		off += 4;
		if (flen < 14 || flen > TRACE_MAX_FRAME || flen > len - off)
			return fail(r, 0, "trace: bad frame length %u at byte %zu", flen, off - 4);
		memset(&skb_in, 0, sizeof(skb_in));
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf + off, .data_size_in = flen,
			    .repeat = 1);
		if (is_tc) {
			opts.ctx_in = &skb_in;
			opts.ctx_size_in = sizeof(skb_in);
			opts.ctx_out = &skb_out;
			opts.ctx_size_out = sizeof(skb_out);
		}
		if (bpf_prog_test_run_opts(fd, &opts)) {
			int e = errno;
			return fail(r, e, "test_run failed on frame %llu: %s", *count, strerror(e));
		}
		off += flen;
		(*count)++;
		*total += opts.duration;
		if (opts.duration < *min_ns)
			*min_ns = opts.duration;
		if (opts.duration > *max_ns)
			*max_ns = opts.duration;
		if (count_retval(rv, nrv, opts.retval))
			return fail(r, 0, "more than %d distinct return values", MAX_RETVALS);
	}
	return 0;
}

int cmd_runtrace(struct runner *r, int argc, char **argv)
{
	struct bpf_program *p = bpf_object__find_program_by_name(r->obj, argv[0]);
	if (!p)
		return fail(r, ENOENT, "no program named '%s'", argv[0]);
	unsigned long long cpu = 0;
	if (argc >= 3 && parse_uint(argv[2], CPU_SETSIZE - 1, &cpu))
		return fail(r, 0, "CPU must be a CPU number");
	unsigned char *buf = NULL;
	size_t len = 0;
	if (read_file(r, argv[1], &buf, &len))
		return -1;
	int rc = -1;
	if (len < sizeof(TRACE_MAGIC) - 1 || memcmp(buf, TRACE_MAGIC, sizeof(TRACE_MAGIC) - 1)) {
		fail(r, 0, "'%s' is not a trace file (no NFCTRC01 magic)", argv[1]);
		goto out;
	}

	cpu_set_t old, set;
	int pinned = argc >= 3;
	if (pinned) {
		if (sched_getaffinity(0, sizeof(old), &old)) {
			fail(r, errno, "sched_getaffinity: %s", strerror(errno));
			goto out;
		}
		CPU_ZERO(&set);
		CPU_SET((int)cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fail(r, errno, "cannot run on cpu %llu: %s", cpu, strerror(errno));
			goto out;
		}
	}
	enum bpf_prog_type type = bpf_program__type(p);
	int is_tc = type == BPF_PROG_TYPE_SCHED_CLS || type == BPF_PROG_TYPE_SCHED_ACT;
	unsigned long long count = 0, total = 0, min_ns = ~0ull, max_ns = 0;
	struct retval_count rv[MAX_RETVALS];
	int nrv = 0;
	rc = replay(r, bpf_program__fd(p), is_tc, buf, len, &count, &total, &min_ns, &max_ns, rv,
		    &nrv);
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
	if (rc)
		goto out;

	qsort(rv, (size_t)nrv, sizeof(rv[0]), cmp_retval);
	j_key(&r->body, "count");
	j_uint(&r->body, count);
	j_key(&r->body, "duration_ns");
	j_uint(&r->body, total);
	j_key(&r->body, "min_ns");
	j_uint(&r->body, count ? min_ns : 0);
	j_key(&r->body, "max_ns");
	j_uint(&r->body, max_ns);
	j_key(&r->body, "retvals");
	j_arr_begin(&r->body);
	for (int i = 0; i < nrv; i++) {
		j_arr_begin(&r->body);
		j_uint(&r->body, rv[i].retval);
		j_uint(&r->body, rv[i].n);
		j_arr_end(&r->body);
	}
	j_arr_end(&r->body);
out:
	free(buf);
	return rc;
}
