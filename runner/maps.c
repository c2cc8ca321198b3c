/* Map commands of nfc-runner: update, lookup, delete, dump, info.
 * Per-CPU maps: values are exchanged per CPU, each padded to 8 bytes in the syscall buffer as the
 * kernel requires; `update` writes the one given value to every possible CPU, `lookup` and `dump`
 * answer "values": [one hex string per possible CPU]. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define DUMP_MAX_ENTRIES (1u << 20)

static int is_percpu(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/* Geometry of one map's values as the syscall sees them. */
struct shape {
	int fd;
	size_t key_size, value_size;
	int percpu, ncpus;
	size_t stride, buf_size;
};

static int map_shape(struct runner *r, struct bpf_map *m, struct shape *s)
{
	s->fd = bpf_map__fd(m);
	if (s->fd < 0)
		return fail(r, EBADF, "map '%s' has no fd", bpf_map__name(m));
	s->key_size = bpf_map__key_size(m);
	s->value_size = bpf_map__value_size(m);
	s->percpu = is_percpu(bpf_map__type(m));
	s->ncpus = s->percpu ? libbpf_num_possible_cpus() : 1;
	if (s->ncpus < 1)
		return fail(r, -s->ncpus, "cannot count possible CPUs");
	s->stride = s->percpu ? (s->value_size + 7) / 8 * 8 : s->value_size;
	s->buf_size = s->stride * (size_t)s->ncpus;
	if (s->key_size == 0)
		return fail(r, EINVAL, "map '%s' has no keys (queue/stack/ringbuf maps are not supported)",
			    bpf_map__name(m));
	return 0;
}

/* Writes "value" (plain maps) or "values" (per-CPU maps) from a syscall value buffer. */
static void put_value(struct jbuf *j, const struct shape *s, const unsigned char *buf)
{
	if (!s->percpu) {
		j_key(j, "value");
		j_hex(j, buf, s->value_size);
		return;
	}
	j_key(j, "values");
	j_arr_begin(j);
	for (int c = 0; c < s->ncpus; c++)
		j_hex(j, buf + (size_t)c * s->stride, s->value_size);
	j_arr_end(j);
}

int cmd_update(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct bpf_map *m = find_map(r, argv[0]);
	struct shape s;
	if (!m || map_shape(r, m, &s))
		return -1;
	unsigned char *key = NULL, *val = NULL, *buf = NULL;
	size_t klen, vlen;
	int rc = -1;
	if (arg_hex(r, "key", argv[1], s.key_size, &key, &klen) ||
	    arg_hex(r, "value", argv[2], s.value_size, &val, &vlen))
		goto out;
	buf = calloc(1, s.buf_size);
	if (!buf) {
		fail(r, ENOMEM, "out of memory");
		goto out;
	}
	for (int c = 0; c < s.ncpus; c++)
		memcpy(buf + (size_t)c * s.stride, val, vlen);
	if (bpf_map_update_elem(s.fd, key, buf, BPF_ANY)) {
		int e = errno;
		fail(r, e, "update failed: %s", strerror(e));
		goto out;
	}
	rc = 0;
out:
	free(key);
	free(val);
	free(buf);
	return rc;
}

/* lookup MAP KEY: {"found":false} for a missing key; otherwise "value" or "values". */
int cmd_lookup(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct bpf_map *m = find_map(r, argv[0]);
	struct shape s;
	if (!m || map_shape(r, m, &s))
		return -1;
	unsigned char *key, *buf;
	size_t klen;
	if (arg_hex(r, "key", argv[1], s.key_size, &key, &klen))
		return -1;
	buf = calloc(1, s.buf_size);
	if (!buf) {
		free(key);
		return fail(r, ENOMEM, "out of memory");
	}
	int rc = 0;
	if (bpf_map_lookup_elem(s.fd, key, buf)) {
		int e = errno;
		if (e == ENOENT) {
			j_key(&r->body, "found");
			j_bool(&r->body, 0);
		} else {
			rc = fail(r, e, "lookup failed: %s", strerror(e));
		}
	} else {
		j_key(&r->body, "found");
		j_bool(&r->body, 1);
		put_value(&r->body, &s, buf);
	}
	free(key);
	free(buf);
	return rc;
}

/* delete MAP KEY: {"deleted":false} when the key was absent. */
int cmd_delete(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct bpf_map *m = find_map(r, argv[0]);
	struct shape s;
	if (!m || map_shape(r, m, &s))
		return -1;
	unsigned char *key;
	size_t klen;
	if (arg_hex(r, "key", argv[1], s.key_size, &key, &klen))
		return -1;
	int err = bpf_map_delete_elem(s.fd, key), e = errno;
	free(key);
	if (err && e != ENOENT)
		return fail(r, e, "delete failed: %s", strerror(e));
	j_key(&r->body, "deleted");
	j_bool(&r->body, err == 0);
	return 0;
}

/* dump MAP: "entries": [{"key", "value"|"values"}] in the kernel's iteration order. */
int cmd_dump(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct bpf_map *m = find_map(r, argv[0]);
	struct shape s;
	if (!m || map_shape(r, m, &s))
		return -1;
	unsigned char *key = calloc(1, s.key_size), *next = calloc(1, s.key_size);
	unsigned char *buf = calloc(1, s.buf_size);
	int rc = 0;
	if (!key || !next || !buf) {
		rc = fail(r, ENOMEM, "out of memory");
		goto out;
	}
	j_key(&r->body, "entries");
	j_arr_begin(&r->body);
	unsigned n = 0;
	const void *prev = NULL;
	while (n < DUMP_MAX_ENTRIES && bpf_map_get_next_key(s.fd, prev, next) == 0) {
		memcpy(key, next, s.key_size);
		prev = key;
		if (bpf_map_lookup_elem(s.fd, key, buf))
			continue; /* deleted concurrently, or an empty slot of a special map */
		j_obj_begin(&r->body);
		j_key(&r->body, "key");
		j_hex(&r->body, key, s.key_size);
		put_value(&r->body, &s, buf);
		j_obj_end(&r->body);
		n++;
	}
	j_arr_end(&r->body);
	j_key(&r->body, "truncated");
	j_bool(&r->body, n >= DUMP_MAX_ENTRIES);
out:
	free(key);
	free(next);
	free(buf);
	return rc;
}

int cmd_info(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct bpf_map *m = find_map(r, argv[0]);
	if (!m)
		return -1;
	struct jbuf *j = &r->body;
	const char *type = libbpf_bpf_map_type_str(bpf_map__type(m));
	j_key(j, "name");
	j_str(j, bpf_map__name(m));
	j_key(j, "type");
	j_str(j, type ? type : "unknown");
	j_key(j, "key_size");
	j_uint(j, bpf_map__key_size(m));
	j_key(j, "value_size");
	j_uint(j, bpf_map__value_size(m));
	j_key(j, "max_entries");
	j_uint(j, bpf_map__max_entries(m));
	j_key(j, "flags");
	j_uint(j, bpf_map__map_flags(m));
	j_key(j, "percpu");
	j_bool(j, is_percpu(bpf_map__type(m)));
	j_key(j, "possible_cpus");
	j_int(j, libbpf_num_possible_cpus());
	return 0;
}
