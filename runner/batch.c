/* batch MAP FILE [any|noexist]: writes many entries of a map from a file of records, each the
 * key's bytes then the value's (key_size + value_size bytes, no padding). Per-CPU maps get the
 * one value on every CPU, as `update` does. Entries go in with BPF_MAP_UPDATE_BATCH, BATCH_CHUNK
 * at a time; a map type without batch operations (e.g. the LPM trie of older kernels) falls back to one update per
 * record, still inside this process. Replies "applied" (records written, in file order) and
 * "batched"; a failure replies the errno with "applied" = the records written before it, so the
 * failing record is number applied + 1 (the caller maps that back to its line). */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define BATCH_CHUNK 65536u

static unsigned char *read_all(struct runner *r, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		fail(r, e, "cannot open '%s': %s", path, strerror(e));
		return NULL;
	}
	unsigned char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 1u << 20;
			unsigned char *n = realloc(buf, cap);
			if (!n) {
				free(buf);
				fclose(f);
				fail(r, ENOMEM, "out of memory");
				return NULL;
			}
			buf = n;
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	return buf;
}

/* Spreads `n` records' values into the syscall layout: one value per possible CPU, each padded to
 * the stride (per-CPU maps), else packed. Keys are copied out contiguously. */
static void split(const struct shape *s, const unsigned char *rec, __u32 n, unsigned char *keys,
		  unsigned char *vals)
{
	size_t rsz = s->key_size + s->value_size, vsz = s->percpu ? s->buf_size : s->value_size;
	for (__u32 i = 0; i < n; i++) {
		const unsigned char *p = rec + i * rsz;
		memcpy(keys + i * s->key_size, p, s->key_size);
		for (int c = 0; c < s->ncpus; c++)
			memcpy(vals + i * vsz + (size_t)c * s->stride, p + s->key_size, s->value_size);
	}
}

int cmd_batch(struct runner *r, int argc, char **argv)
{
	struct shape s;
	if (map_shape(r, argv[0], &s))
		return -1;
	__u64 flags = BPF_ANY;
	if (argc > 2 && strcmp(argv[2], "noexist") == 0)
		flags = BPF_NOEXIST;
	else if (argc > 2 && strcmp(argv[2], "any") != 0)
		return fail(r, 0, "batch mode must be any or noexist, not '%.32s'", argv[2]);
	size_t len, rsz = s.key_size + s.value_size;
	unsigned char *recs = read_all(r, argv[1], &len);
	if (!recs)
		return -1;
	if (len % rsz) {
		free(recs);
		return fail(r, 0, "'%s': %zu bytes is not a whole number of %zu-byte records", argv[1], len, rsz);
	}
	size_t total = len / rsz, vsz = s.percpu ? s.buf_size : s.value_size;
	unsigned char *keys = calloc(BATCH_CHUNK, s.key_size), *vals = calloc(BATCH_CHUNK, vsz);
	size_t applied = 0;
	int rc = 0, batched = 1;
	if (!keys || !vals) {
		rc = fail(r, ENOMEM, "out of memory");
		goto out;
	}
	while (applied < total) {
		__u32 n = total - applied < BATCH_CHUNK ? (__u32)(total - applied) : BATCH_CHUNK;
		split(&s, recs + applied * rsz, n, keys, vals);
		__u32 done = n;
		int err = 0;
		if (batched) {
			LIBBPF_OPTS(bpf_map_batch_opts, o, .elem_flags = flags);
			err = bpf_map_update_batch(s.fd, keys, vals, &done, &o) ? errno : 0;
			/* No batch ops for this map type (the kernel's internal ENOTSUPP, 524, leaks
			 * out of BPF_DO_BATCH): write per record instead. */
			if ((err == 524 || err == EOPNOTSUPP) && done == 0) {
				batched = 0;
				continue;
			}
		} else {
			for (done = 0; done < n; done++)
				if (bpf_map_update_elem(s.fd, keys + done * s.key_size, vals + done * vsz, flags)) {
					err = errno;
					break;
				}
		}
		applied += done > n ? n : done;
		if (err) {
			rc = fail(r, err, "record %zu: %s", applied + 1, strerror(err));
			break;
		}
	}
out:
	j_key(&r->body, "applied");
	j_uint(&r->body, applied);
	j_key(&r->body, "batched");
	j_bool(&r->body, batched);
	free(keys);
	free(vals);
	free(recs);
	return rc;
}

/* copy SRC DST [any|noexist]: every entry of map SRC written into map DST (both by name: a loaded
 * map or a `pinned` one), raw (per-CPU values stay per CPU). Key and value sizes must match; DST
 * may be larger (a capacity that grew). Replies "copied"; a failure (E2BIG: DST full) replies the
 * errno with "copied" = the entries written before it. */
int cmd_copy(struct runner *r, int argc, char **argv)
{
	struct shape s, d;
	if (map_shape(r, argv[0], &s) || map_shape(r, argv[1], &d))
		return -1;
	if (s.key_size != d.key_size || s.value_size != d.value_size || s.percpu != d.percpu)
		return fail(r, EINVAL, "copy: '%s' and '%s' differ in key or value size", argv[0], argv[1]);
	__u64 flags = argc > 2 && strcmp(argv[2], "noexist") == 0 ? BPF_NOEXIST : BPF_ANY;
	unsigned char *key = calloc(2, s.key_size), *buf = calloc(1, s.buf_size);
	if (!key || !buf) {
		free(key);
		free(buf);
		return fail(r, ENOMEM, "out of memory");
	}
	unsigned char *next = key + s.key_size;
	const void *prev = NULL;
	unsigned long long n = 0;
	int rc = 0;
	while (bpf_map_get_next_key(s.fd, prev, next) == 0) {
		memcpy(key, next, s.key_size);
		prev = key;
		if (bpf_map_lookup_elem(s.fd, key, buf))
			continue; /* deleted meanwhile */
		if (bpf_map_update_elem(d.fd, key, buf, flags)) {
			int e = errno;
			if (e == EEXIST && flags == BPF_NOEXIST)
				continue;
			rc = fail(r, e, "copy: entry %llu: %s", n + 1, strerror(e));
			break;
		}
		n++;
	}
	j_key(&r->body, "copied");
	j_uint(&r->body, n);
	free(key);
	free(buf);
	return rc;
}
