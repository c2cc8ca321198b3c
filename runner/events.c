/* Ring buffers (BPF_MAP_TYPE_RINGBUF): events an NF sends to user space.
 *  ringbuf MAP          reads MAP (the loaded object's map, or one opened with `pinned`) from now
 *                       on; every later `run` reply then carries "events": the records the run
 *                       submitted, as hex, oldest first (the ring is drained after each run).
 *  events [TIMEOUT_MS]  waits up to TIMEOUT_MS (default 0) for records and replies with those
 *                       available, at most MAX_EVENTS ("more": true when the ring holds more).
 * Records are read with libbpf's ring_buffer__new/consume/poll on the map's fd. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define MAX_EVENTS 4096

/* Appends one record to the reply's "events" array; stops the read at MAX_EVENTS (the record that
 * returns an error is still consumed, so nothing is lost). */
static int on_record(void *ctx, void *data, size_t size)
{
	struct runner *r = ctx;
	j_hex(&r->body, data, size);
	return ++r->nevents >= MAX_EVENTS ? -ENOSPC : 0;
}

int cmd_ringbuf(struct runner *r, int argc, char **argv)
{
	(void)argc;
	int fd = find_map_fd(r, argv[0]);
	if (fd < 0)
		return -1;
	if (r->ring)
		ring_buffer__free(r->ring);
	r->ring = ring_buffer__new(fd, on_record, r, NULL);
	if (!r->ring)
		return fail(r, errno, "ring_buffer__new on '%s': %s", argv[0], strerror(errno));
	return 0;
}

/* Writes "events": [...] (and "more") from the registered ring; timeout_ms < 0: consume only. */
int reply_events(struct runner *r, int timeout_ms)
{
	if (!r->ring)
		return 0;
	r->nevents = 0;
	j_key(&r->body, "events");
	j_arr_begin(&r->body);
	int n = timeout_ms < 0 ? ring_buffer__consume(r->ring) : ring_buffer__poll(r->ring, timeout_ms);
	j_arr_end(&r->body);
	j_key(&r->body, "more");
	j_bool(&r->body, n == -ENOSPC);
	if (n < 0 && n != -ENOSPC && n != -EINTR)
		return fail(r, -n, "reading the ring buffer: %s", strerror(-n));
	return 0;
}

int cmd_events(struct runner *r, int argc, char **argv)
{
	unsigned long long ms = 0;
	if (!r->ring)
		return fail(r, 0, "no ring buffer (use: ringbuf MAP)");
	if (argc >= 1 && parse_uint(argv[0], 60000, &ms))
		return fail(r, 0, "TIMEOUT_MS must be 0..60000");
	return reply_events(r, (int)ms);
}

void close_ring(struct runner *r)
{
	if (r->ring)
		ring_buffer__free(r->ring);
	r->ring = NULL;
}
