/* nfc-runner: loads one BPF object with libbpf and drives it by a line protocol.
 * stdin: one command per line; stdout: one JSON object per line (see CONTEXT.md).
 * This file: the main loop, the command table, and the object lifecycle (open, config, load).
 * Map commands live in maps.c, test_run in run.c, pinning and attaching in deploy.c. Adding a command = a handler + a table row. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define LOG_BUF_SIZE (16u << 20)
#define LOG_TAIL_LINES 200
#define LIBBPF_LOG_MAX 8192
#define MAX_ARGS 16

enum need { NEED_NOTHING, NEED_OPEN, NEED_LOADED };

struct command {
	const char *name;
	int min_args, max_args;
	enum need need;
	command_fn fn;
	const char *usage;
};

/* libbpf's own warnings for the current command, included in failure replies. */
static char libbpf_log[LIBBPF_LOG_MAX];
static size_t libbpf_log_len;

static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || libbpf_log_len >= sizeof(libbpf_log) - 1)
		return 0;
	int n = vsnprintf(libbpf_log + libbpf_log_len, sizeof(libbpf_log) - libbpf_log_len, fmt, ap);
	if (n > 0)
		libbpf_log_len += (size_t)n;
	if (libbpf_log_len > sizeof(libbpf_log) - 1)
		libbpf_log_len = sizeof(libbpf_log) - 1;
	return 0;
}

int fail(struct runner *r, int err_no, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->err_no = err_no;
	return -1;
}

int arg_hex(struct runner *r, const char *what, const char *hex, size_t want, unsigned char **out,
	    size_t *len)
{
	if (hex_decode(hex, out, len))
		return fail(r, 0, "%s: not an even-length hex string", what);
	if (want && *len != want) {
		free(*out);
		*out = NULL;
		return fail(r, 0, "%s: expected %zu bytes, got %zu", what, want, *len);
	}
	return 0;
}

struct bpf_map *find_map(struct runner *r, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(r->obj, name);
	if (!m)
		fail(r, ENOENT, "no map named '%s'", name);
	return m;
}

int find_map_fd(struct runner *r, const char *name)
{
	struct bpf_map *m = r->loaded ? bpf_object__find_map_by_name(r->obj, name) : NULL;
	if (m)
		return bpf_map__fd(m);
	for (int i = 0; i < r->npinned; i++)
		if (strcmp(r->pinned[i].name, name) == 0)
			return r->pinned[i].fd;
	if (!r->loaded && r->npinned == 0)
		return fail(r, 0, "object not loaded (use: load) and no map opened (use: pinned NAME PATH)");
	return fail(r, ENOENT, "no map named '%s'", name);
}

struct bpf_program *find_program(struct runner *r, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(r->obj, name);
	if (!p)
		fail(r, ENOENT, "no program named '%s'", name);
	return p;
}

static void close_object(struct runner *r)
{
	close_ring(r);
	if (r->obj)
		bpf_object__close(r->obj);
	r->obj = NULL;
	r->loaded = 0;
}

static int cmd_version(struct runner *r, int argc, char **argv)
{
	(void)argc, (void)argv;
	char v[32];
	snprintf(v, sizeof(v), "%u.%u", libbpf_major_version(), libbpf_minor_version());
	j_key(&r->body, "protocol");
	j_int(&r->body, PROTOCOL_VERSION);
	j_key(&r->body, "libbpf");
	j_str(&r->body, v);
	j_key(&r->body, "possible_cpus");
	j_int(&r->body, libbpf_num_possible_cpus());
	j_key(&r->body, "deploy");
	j_int(&r->body, DEPLOY_VERSION);
	return 0;
}

/* open PATH: opens (does not load) the object; replaces any object opened before. */
static int cmd_open(struct runner *r, int argc, char **argv)
{
	(void)argc;
	close_object(r);
	LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = r->log_buf,
		    .kernel_log_size = r->log_size, .kernel_log_level = 0);
	struct bpf_object *obj = bpf_object__open_file(argv[0], &opts);
	if (!obj) {
		int e = errno;
		return fail(r, e, "cannot open '%s': %s", argv[0], strerror(e));
	}
	r->obj = obj;
	j_key(&r->body, "programs");
	j_arr_begin(&r->body);
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) j_str(&r->body, bpf_program__name(p));
	j_arr_end(&r->body);
	return 0;
}

/* config NAME HEX: patches a `const volatile` global in .rodata, located through BTF. */
static int cmd_config(struct runner *r, int argc, char **argv)
{
	(void)argc;
	if (r->loaded)
		return fail(r, 0, "config must come before load");
	struct bpf_map *m = bpf_object__find_map_by_name(r->obj, ".rodata");
	struct btf *btf = bpf_object__btf(r->obj);
	if (!m || !btf)
		return fail(r, ENOENT, "object has no .rodata section with BTF");
	int sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (sec_id < 0)
		return fail(r, ENOENT, "no BTF DATASEC for .rodata");
	const struct btf_type *sec = btf__type_by_id(btf, (__u32)sec_id);
	const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		if (strcmp(btf__name_by_offset(btf, var->name_off), argv[0]) != 0)
			continue;
		unsigned char *val;
		size_t len, size;
		if (arg_hex(r, "value", argv[1], vs->size, &val, &len))
			return -1;
		const void *init = bpf_map__initial_value(m, &size);
		if (!init || vs->offset + len > size) {
			free(val);
			return fail(r, 0, "'%s' lies outside .rodata", argv[0]);
		}
		unsigned char *copy = malloc(size);
		if (!copy) {
			free(val);
			return fail(r, ENOMEM, "out of memory");
		}
		memcpy(copy, init, size);
		memcpy(copy + vs->offset, val, len);
		int err = bpf_map__set_initial_value(m, copy, size);
		free(copy);
		free(val);
		if (err)
			return fail(r, -err, "cannot set .rodata: %s", strerror(-err));
		j_key(&r->body, "offset");
		j_uint(&r->body, vs->offset);
		j_key(&r->body, "size");
		j_uint(&r->body, vs->size);
		return 0;
	}
	return fail(r, ENOENT, "no const volatile global named '%s' in .rodata", argv[0]);
}

/* The last LOG_TAIL_LINES lines of the kernel log. */
static void put_log_tail(struct jbuf *j, const char *log)
{
	size_t n = strlen(log);
	while (n > 0 && log[n - 1] == '\n')
		n--;
	size_t start = n;
	int lines = 0;
	while (start > 0 && lines < LOG_TAIL_LINES) {
		start--;
		if (log[start] == '\n' && ++lines == LOG_TAIL_LINES) {
			start++;
			break;
		}
	}
	j_strn(j, log + start, n - start);
}

/* The program libbpf names in "prog 'NAME': BPF program load failed" (empty if none). */
static void failed_program(char *out, size_t cap)
{
	out[0] = '\0';
	const char *p = strstr(libbpf_log, "prog '");
	if (!p)
		return;
	p += 6;
	const char *e = strchr(p, '\'');
	size_t n = e ? (size_t)(e - p) : 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void put_program(struct jbuf *j, struct bpf_program *p)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	memset(&info, 0, sizeof(info));
	j_obj_begin(j);
	j_key(j, "name");
	j_str(j, bpf_program__name(p));
	j_key(j, "section");
	j_str(j, bpf_program__section_name(p));
	j_key(j, "type");
	j_str(j, libbpf_bpf_prog_type_str(bpf_program__type(p)));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len) == 0) {
		j_key(j, "id");
		j_uint(j, info.id);
		j_key(j, "xlated_insns");
		j_uint(j, info.xlated_prog_len / 8);
		j_key(j, "verified_insns");
		j_uint(j, info.verified_insns);
		j_key(j, "jited_bytes");
		j_uint(j, info.jited_prog_len);
	}
	j_obj_end(j);
}

/* load: loads every program and map. On failure the object is closed (libbpf cannot retry). */
static int cmd_load(struct runner *r, int argc, char **argv)
{
	(void)argc, (void)argv;
	if (r->loaded)
		return fail(r, 0, "already loaded");
	r->log_buf[0] = '\0';
	int err = bpf_object__load(r->obj);
	if (err) {
		char prog[128];
		failed_program(prog, sizeof(prog));
		fail(r, -err, "load failed: %s", strerror(-err));
		j_key(&r->body, "program");
		j_str(&r->body, prog);
		j_key(&r->body, "verifier_log");
		put_log_tail(&r->body, r->log_buf);
		close_object(r);
		return -1;
	}
	r->loaded = 1;
	j_key(&r->body, "programs");
	j_arr_begin(&r->body);
	struct bpf_program *p;
	bpf_object__for_each_program(p, r->obj) put_program(&r->body, p);
	j_arr_end(&r->body);
	j_key(&r->body, "maps");
	j_arr_begin(&r->body);
	struct bpf_map *m;
	bpf_object__for_each_map(m, r->obj) j_str(&r->body, bpf_map__name(m));
	j_arr_end(&r->body);
	return 0;
}

static int cmd_quit(struct runner *r, int argc, char **argv)
{
	(void)argc, (void)argv;
	r->quit = 1;
	return 0;
}

static const struct command commands[] = {
	{ "version", 0, 0, NEED_NOTHING, cmd_version, "version" },
	{ "open", 1, 1, NEED_NOTHING, cmd_open, "open PATH" },
	{ "config", 2, 2, NEED_OPEN, cmd_config, "config NAME HEX" },
	{ "load", 0, 0, NEED_OPEN, cmd_load, "load" },
	{ "update", 3, 4, NEED_NOTHING, cmd_update, "update MAP KEYHEX VALHEX [any|noexist|exist]" },
	{ "batch", 2, 3, NEED_NOTHING, cmd_batch, "batch MAP FILE [any|noexist]" },
	{ "copy", 2, 3, NEED_NOTHING, cmd_copy, "copy SRC DST [any|noexist]" },
	{ "lookup", 2, 2, NEED_NOTHING, cmd_lookup, "lookup MAP KEYHEX" },
	{ "delete", 2, 2, NEED_NOTHING, cmd_delete, "delete MAP KEYHEX" },
	{ "dump", 1, 1, NEED_NOTHING, cmd_dump, "dump MAP" },
	{ "info", 1, 1, NEED_NOTHING, cmd_info, "info MAP" },
	{ "count", 1, 1, NEED_NOTHING, cmd_count, "count MAP" },
	{ "clear", 1, 1, NEED_NOTHING, cmd_clear, "clear MAP" },
	{ "pinned", 2, 2, NEED_NOTHING, cmd_pinned, "pinned NAME PATH" },
	{ "reuse", 2, 2, NEED_OPEN, cmd_reuse, "reuse MAP PATH" },
	{ "pin", 2, 2, NEED_LOADED, cmd_pin, "pin MAP PATH" },
	{ "pinprog", 2, 2, NEED_LOADED, cmd_pinprog, "pinprog PROG PATH" },
	{ "attach", 5, 5, NEED_LOADED, cmd_attach, "attach PROG xdp|xdp-native|xdp-generic|tcx-ingress|tcx-egress IFNAME NETNS|- LINKPIN" },
	{ "relink", 2, 2, NEED_NOTHING, cmd_relink, "relink LINKPIN PROG|PROGPIN" },
	{ "xdpquery", 2, 2, NEED_NOTHING, cmd_xdpquery, "xdpquery IFNAME NETNS|-" },
	{ "xdpdetach", 2, 2, NEED_NOTHING, cmd_xdpdetach, "xdpdetach IFNAME NETNS|-" },
	{ "linkinfo", 1, 1, NEED_NOTHING, cmd_linkinfo, "linkinfo PINPATH" },
	{ "proginfo", 1, 1, NEED_NOTHING, cmd_proginfo, "proginfo PINPATH" },
	{ "tcattach", 4, 6, NEED_NOTHING, cmd_tcattach, "tcattach PROG|PROGPIN ingress|egress IFNAME NETNS|- [HANDLE PRIO]" },
	{ "tcdetach", 5, 6, NEED_NOTHING, cmd_tcdetach, "tcdetach IFNAME NETNS|- ingress|egress HANDLE PRIO [destroy]" },
	{ "tcquery", 5, 5, NEED_NOTHING, cmd_tcquery, "tcquery IFNAME NETNS|- ingress|egress HANDLE PRIO" },
	{ "ids", 0, 0, NEED_NOTHING, cmd_ids, "ids" },
	{ "run", 2, 4, NEED_LOADED, cmd_run, "run PROG DATAHEX [REPEAT] [CPU]" },
	{ "ringbuf", 1, 1, NEED_NOTHING, cmd_ringbuf, "ringbuf MAP" },
	{ "events", 0, 1, NEED_NOTHING, cmd_events, "events [TIMEOUT_MS]" },
	{ "runtrace", 2, 3, NEED_LOADED, cmd_runtrace, "runtrace PROG FILE [CPU]" },
	{ "quit", 0, 0, NEED_NOTHING, cmd_quit, "quit" },
};

static int dispatch(struct runner *r, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];
		if (strcmp(c->name, argv[0]) != 0)
			continue;
		if (argc - 1 < c->min_args || argc - 1 > c->max_args)
			return fail(r, 0, "usage: %s", c->usage);
		if (c->need >= NEED_OPEN && !r->obj)
			return fail(r, 0, "no object open (use: open PATH)");
		if (c->need == NEED_LOADED && !r->loaded)
			return fail(r, 0, "object not loaded (use: load)");
		return c->fn(r, argc - 1, argv + 1);
	}
	return fail(r, 0, "unknown command '%.64s'", argv[0]);
}

static void reply(struct runner *r, int rc)
{
	if (rc == 0) {
		fputs("{\"ok\":true", stdout);
	} else {
		struct jbuf e = { 0 };
		j_reset(&e);
		j_key(&e, "error");
		j_str(&e, r->error);
		if (r->err_no) {
			j_key(&e, "errno");
			j_int(&e, r->err_no);
		}
		if (libbpf_log_len) {
			j_key(&e, "libbpf_log");
			j_strn(&e, libbpf_log, libbpf_log_len);
		}
		printf("{\"ok\":false,%s", e.s);
		free(e.s);
	}
	/* A handler that failed half-way through an array leaves it open: drop such a body. */
	if (r->body.len && r->body.depth == 0)
		printf(",%s", r->body.s);
	fputs("}\n", stdout);
	fflush(stdout);
}

int main(void)
{
	struct runner r = { 0 };
	r.log_size = LOG_BUF_SIZE;
	r.log_buf = calloc(1, r.log_size);
	if (!r.log_buf)
		return 1;
	libbpf_set_print(on_libbpf_print);

	char *line = NULL;
	size_t cap = 0;
	while (!r.quit && getline(&line, &cap, stdin) >= 0) {
		char *argv[MAX_ARGS + 1];
		int argc = 0;
		for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
			if (argc <= MAX_ARGS)
				argv[argc] = tok;
			argc++;
		}
		if (argc == 0)
			continue;
		j_reset(&r.body);
		r.error[0] = '\0';
		r.err_no = 0;
		libbpf_log_len = 0;
		libbpf_log[0] = '\0';
		int rc = argc > MAX_ARGS ? fail(&r, 0, "too many arguments") : dispatch(&r, argc, argv);
		reply(&r, rc);
	}
	free(line);
	free(r.body.s);
	close_object(&r);
	close_ring(&r);
	close_pinned(&r);
	free(r.log_buf);
	return 0;
}
