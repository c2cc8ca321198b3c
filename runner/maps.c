/* Map commands of nfc-runner: update, lookup, delete, dump, info, count, clear. A map is the loaded
 * object's map of that name or one opened from bpffs with `pinned` (deploy.c).
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

/* The map named `name`: the loaded object's map of that name, else a map opened with `pinned`.
 * Its geometry comes from the kernel (bpf_map_info), so both kinds are handled alike. */
int map_shape(struct runner *r, const char *name, struct shape *s)
{
	s->fd = find_map_fd(r, name);
	if (s->fd < 0)
		return -1;
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(s->fd, &info, &len)) {
		int e = errno;
		return fail(r, e, "map '%s': cannot read its info: %s", name, strerror(e));
	}
	s->key_size = info.key_size;
	s->value_size = info.value_size;
	s->percpu = is_percpu((enum bpf_map_type)info.type);
	s->ncpus = s->percpu ? libbpf_num_possible_cpus() : 1;
	if (s->ncpus < 1)
		return fail(r, -s->ncpus, "cannot count possible CPUs");
	s->stride = s->percpu ? (s->value_size + 7) / 8 * 8 : s->value_size;
	s->buf_size = s->stride * (size_t)s->ncpus;
	s->info = info;
	if (s->key_size == 0)
		return fail(r, EINVAL, "map '%s' has no keys (queue/stack/ringbuf maps are not supported)",
			    name);
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

/* The optional mode of `update`: any (default), noexist (add only), exist (replace only). */
static int update_flags(struct runner *r, const char *mode, __u64 *flags)
{
	if (strcmp(mode, "any") == 0)
		*flags = BPF_ANY;
	else if (strcmp(mode, "noexist") == 0)
		*flags = BPF_NOEXIST;
	else if (strcmp(mode, "exist") == 0)
		*flags = BPF_EXIST;
	else
		return fail(r, 0, "update mode must be any, noexist or exist, not '%.32s'", mode);
	return 0;
}

int cmd_update(struct runner *r, int argc, char **argv)
{
	struct shape s;
	if (map_shape(r, argv[0], &s))
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
	__u64 flags = BPF_ANY;
	if (argc > 3 && update_flags(r, argv[3], &flags))
		goto out;
	if (bpf_map_update_elem(s.fd, key, buf, flags)) {
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
	struct shape s;
	if (map_shape(r, argv[0], &s))
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
	struct shape s;
	if (map_shape(r, argv[0], &s))
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
	struct shape s;
	if (map_shape(r, argv[0], &s))
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
	struct shape s;
	if (map_shape(r, argv[0], &s))
		return -1;
	struct jbuf *j = &r->body;
	const char *type = libbpf_bpf_map_type_str((enum bpf_map_type)s.info.type);
	j_key(j, "name");
	j_str(j, s.info.name);
	j_key(j, "id");
	j_uint(j, s.info.id);
	j_key(j, "type");
	j_str(j, type ? type : "unknown");
	j_key(j, "key_size");
	j_uint(j, s.info.key_size);
	j_key(j, "value_size");
	j_uint(j, s.info.value_size);
	j_key(j, "max_entries");
	j_uint(j, s.info.max_entries);
	j_key(j, "flags");
	j_uint(j, s.info.map_flags);
	j_key(j, "percpu");
	j_bool(j, s.percpu);
	j_key(j, "possible_cpus");
	j_int(j, libbpf_num_possible_cpus());
	return 0;
}

/* count MAP: the number of keys the kernel iterates (arrays: every index). */
int cmd_count(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct shape s;
	if (map_shape(r, argv[0], &s))
		return -1;
	unsigned char *key = calloc(2, s.key_size);
	if (!key)
		return fail(r, ENOMEM, "out of memory");
	unsigned char *next = key + s.key_size;
	unsigned long long n = 0;
	const void *prev = NULL;
	while (bpf_map_get_next_key(s.fd, prev, next) == 0) {
		memcpy(key, next, s.key_size);
		prev = key;
		n++;
	}
	free(key);
	j_key(&r->body, "count");
	j_uint(&r->body, n);
	return 0;
}

/* clear MAP: deletes every key; arrays (whose keys cannot be deleted) get every value zeroed. */
int cmd_clear(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct shape s;
	if (map_shape(r, argv[0], &s))
		return -1;
	unsigned char *key = calloc(2, s.key_size), *zero = calloc(1, s.buf_size);
	int rc = 0;
	if (!key || !zero) {
		rc = fail(r, ENOMEM, "out of memory");
		goto out;
	}
	unsigned char *next = key + s.key_size;
	int array = s.info.type == BPF_MAP_TYPE_ARRAY || s.info.type == BPF_MAP_TYPE_PERCPU_ARRAY;
	unsigned long long n = 0;
	if (array) {
		for (__u32 i = 0; i < s.info.max_entries; i++, n++)
			if (bpf_map_update_elem(s.fd, &i, zero, BPF_ANY)) {
				int e = errno;
				rc = fail(r, e, "clear failed at index %u: %s", i, strerror(e));
				goto out;
			}
	} else {
		/* Deleting the key just returned restarts iteration from the start: always ask for the first. */
		while (bpf_map_get_next_key(s.fd, NULL, next) == 0) {
			if (bpf_map_delete_elem(s.fd, next)) {
				int e = errno;
				rc = fail(r, e, "clear failed: %s", strerror(e));
				goto out;
			}
			n++;
		}
	}
	j_key(&r->body, "cleared");
	j_uint(&r->body, n);
out:
	free(key);
	free(zero);
	return rc;
}
