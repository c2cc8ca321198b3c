// SPDX-License-Identifier: GPL-2.0
/*
 * nfc-loader — static test driver that runs inside the VM initramfs (libbpf.a libelf.a libz.a).
 *
 *   nfc-loader manifest FILE DIR    run every line of FILE (objects relative to DIR)
 *
 * Manifest lines (# comments, blank lines ignored), fields separated by blanks:
 *   probe  NAME                     read `enum nfc_rt_abi` from /sys/kernel/btf/nfc_runtime
 *   run    NAME OBJ PROG            load OBJ, BPF_PROG_TEST_RUN PROG on a 64-byte frame
 *                                   (14-byte Ethernet header, then "123456789", zero padding)
 *   reject NAME OBJ TEXT...         OBJ must FAIL to load and its verifier log contain TEXT;
 *                                   "A || B" accepts either text (kernels word some errors
 *                                   differently)
 *   bench  NAME OBJ PROG REPEAT     BPF_PROG_TEST_RUN PROG with repeat=REPEAT; prints the mean
 *                                   duration_ns (an instruction count under -icount)
 *   pkts   NAME OBJ PROG PKTFILE [SETUP]  load OBJ (all maps fresh) with SETUP's `config SYMBOL
 *                                   HEX` .rodata values, apply its `MAP KEYHEX VALHEX` map
 *                                   updates, BPF_PROG_TEST_RUN PROG once per
 *                                   line of PKTFILE (a packet in hex), in order (state carries
 *                                   over); prints counts=C0,...,C7 (packets per retval 0..6, then
 *                                   any other) and digest= FNV-1a 64 over,
 *                                   per packet, retval (u32 LE), output length (u32 LE), bytes —
 *                                   the host computes the same from the reference interpreter;
 *                                   a test build's map nf_test_clock is set to 1e9 + i*1000 ns
 *                                   before packet i (the interpreter's clock)
 * Each line prints exactly one result line:
 *   NFC-RESULT name=NAME ok=0|1 [retval=N duration_ns=N] [VAR=VALUE...] [reason="..."]
 * For `run`, VAR=VALUE are all integer globals of the object's .bss (read after the run); the
 * selftest convention is `checks` (assertions executed) and `fails` (assertions that failed,
 * as a bitmask of check numbers): ok=1 iff the run succeeded, checks > 0 and fails == 0.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define LOG_SIZE (1u << 20)
static char vlog[LOG_SIZE];

static int quiet_print(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	if (lvl == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int probe(const char *name)
{
	struct btf *base = btf__load_vmlinux_btf();
	struct btf *mod;
	int abi = -1, id;

	if (!base) {
		printf("NFC-RESULT name=%s ok=0 reason=\"no vmlinux btf\"\n", name);
		return 1;
	}
	mod = btf__parse_split("/sys/kernel/btf/nfc_runtime", base);
	if (!mod) {
		printf("NFC-RESULT name=%s ok=0 reason=\"no module btf: %d\"\n", name, -errno);
		btf__free(base);
		return 1;
	}
	id = btf__find_by_name_kind(mod, "nfc_rt_abi", BTF_KIND_ENUM);
	if (id > 0) {
		const struct btf_type *t = btf__type_by_id(mod, id);
		const struct btf_enum *e = btf_enum(t);
		for (int i = 0; i < btf_vlen(t); i++, e++)
			if (!strcmp(btf__name_by_offset(mod, e->name_off), "NFC_RT_ABI_VERSION"))
				abi = e->val;
	}
	printf("NFC-RESULT name=%s ok=%d abi=%d\n", name, abi > 0, abi);
	btf__free(mod);
	btf__free(base);
	return abi > 0 ? 0 : 1;
}

/* Print every integer .bss variable to OUT as " name=0xVALUE"; checks/fails go to pointers. */
static void dump_bss(struct bpf_object *obj, FILE *out, long long *checks, long long *fails)
{
	struct bpf_map *map = NULL, *m;
	const struct btf *btf = bpf_object__btf(obj);
	static char data[1 << 16];
	size_t sz;
	int sec, zero = 0;

	bpf_object__for_each_map(m, obj)
		if (strstr(bpf_map__name(m), ".bss"))
			map = m;
	if (!map || !btf)
		return;
	/* read through the map fd: libbpf 1.1 re-mmaps global data only for skeletons */
	sz = bpf_map__value_size(map);
	sec = btf__find_by_name_kind(btf, ".bss", BTF_KIND_DATASEC);
	if (sz > sizeof(data) || sec <= 0 || bpf_map_lookup_elem(bpf_map__fd(map), &zero, data))
		return;
	const struct btf_type *ds = btf__type_by_id(btf, sec);
	const struct btf_var_secinfo *vs = btf_var_secinfos(ds);
	for (int i = 0; i < btf_vlen(ds); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		const char *vn = btf__name_by_offset(btf, var->name_off);
		long long v;
		if (vs->offset + vs->size > sz)
			continue;
		switch (vs->size) {
		case 1: v = *(const unsigned char *)(data + vs->offset); break;
		case 2: v = *(const unsigned short *)(data + vs->offset); break;
		case 4: v = *(const unsigned int *)(data + vs->offset); break;
		case 8: v = *(const long long *)(data + vs->offset); break;
		default: continue;
		}
		if (!strcmp(vn, "checks"))
			*checks = v;
		else if (!strcmp(vn, "fails"))
			*fails = v;
		else
			fprintf(out, " %s=0x%llx", vn, v);
	}
}

/* Reload PROG of PATH with a verifier log and print the log's last 6000 bytes to stderr. */
/*
 * Linux 6.1 names a referenced kptr field btf_type_tag("kptr_ref"), 6.2+ "kptr" (the contract
 * header's __nfc_kptr; nfc emits "kptr"). On a kernel before 6.2 retag the object's BTF before
 * load, so one kmod object serves both guests. Returns the number of tags changed, -1 on error.
 */
static int retag_kptr_for_old_kernel(struct bpf_object *obj)
{
	struct utsname u;
	struct btf *btf = bpf_object__btf(obj);
	int major = 0, minor = 0, n = 0, ref;
	__u32 id, cnt;

	if (!btf || uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 0;
	if (major > 6 || (major == 6 && minor >= 2))
		return 0;
	cnt = btf__type_cnt(btf);
	ref = btf__add_str(btf, "kptr_ref");
	if (ref < 0)
		return -1;
	for (id = 1; id < cnt; id++) {
		struct btf_type *t = (struct btf_type *)btf__type_by_id(btf, id);

		if (btf_kind(t) == BTF_KIND_TYPE_TAG && !strcmp(btf__name_by_offset(btf, t->name_off), "kptr")) {
			t->name_off = ref;
			n++;
		}
	}
	return n;
}

static void log_failure(const char *name, const char *path, const char *prog_name)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *p, *prog;
	size_t len;

	if (!obj)
		return;
	prog = bpf_object__find_program_by_name(obj, prog_name);
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	if (prog) {
		vlog[0] = 0;
		bpf_program__set_log_buf(prog, vlog, sizeof(vlog));
		retag_kptr_for_old_kernel(obj);
		bpf_object__load(obj);
		len = strlen(vlog);
		fprintf(stderr, "---- verifier log (%s, tail) ----\n%s\n----\n", name,
			vlog + (len > 6000 ? len - 6000 : 0));
	}
	bpf_object__close(obj);
}

static int run(const char *name, const char *path, const char *prog_name, int repeat)
{
	unsigned char pkt[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	unsigned char out[256];
	struct bpf_object *obj;
	struct bpf_program *prog;
	long long checks = -1, fails = -1;
	int err;

	memcpy(pkt + 14, "123456789", 9);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		printf("NFC-RESULT name=%s ok=0 reason=\"open %s: %d\"\n", name, path, -errno);
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, prog_name);
	if (!prog) {
		printf("NFC-RESULT name=%s ok=0 reason=\"no program %s\"\n", name, prog_name);
		bpf_object__close(obj);
		return 1;
	}
	/* only the program under test is loaded: sibling programs may target other kernels */
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	/* no log on the first attempt: a level-1 log of a program with long loops overflows any
	 * buffer (-ENOSPC); on failure, load again with a log and print its tail */
	err = bpf_object__load(obj);
	if (err) {
		log_failure(name, path, prog_name);
		printf("NFC-RESULT name=%s ok=0 reason=\"load failed: %d\"\n", name, err);
		bpf_object__close(obj);
		return 1;
	}
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .data_out = out, .data_size_out = sizeof(out), .repeat = repeat);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (err) {
		printf("NFC-RESULT name=%s ok=0 reason=\"test_run: %d\"\n", name, -errno);
		bpf_object__close(obj);
		return 1;
	}
	/* build the variable list first, then print the line in one go */
	char line[4096] = "";
	FILE *mem = fmemopen(line, sizeof(line), "w");
	if (mem) {
		dump_bss(obj, mem, &checks, &fails);
		fclose(mem);
	}
	int ok = checks > 0 && fails == 0;
	if (repeat > 1) /* bench: no assertions, the number is the result */
		ok = 1;
	printf("NFC-RESULT name=%s ok=%d retval=%u duration_ns=%u checks=%lld fails=0x%llx%s%s\n",
	       name, ok, opts.retval, opts.duration, checks, fails, repeat > 1 ? " bench=1" : "",
	       line);
	bpf_object__close(obj);
	return ok ? 0 : 1;
}

static int reject(const char *name, const char *path, const char *text)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	int err, ok;

	if (!obj) {
		printf("NFC-RESULT name=%s ok=0 reason=\"open %s: %d\"\n", name, path, -errno);
		return 1;
	}
	vlog[0] = 0;
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_log_buf(prog, vlog, sizeof(vlog));
	err = bpf_object__load(obj);
	ok = 0;
	if (err) {
		/* "A || B": either text */
		char alts[512], *save, *alt;
		snprintf(alts, sizeof(alts), "%s", text);
		for (alt = strtok_r(alts, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
			alt += strspn(alt, " ");
			size_t n = strlen(alt);
			while (n && alt[n - 1] == ' ')
				alt[--n] = 0;
			if (n && strstr(vlog, alt))
				ok = 1;
		}
	}
	if (!ok)
		fprintf(stderr, "---- verifier log (%s, load=%d) ----\n%s\n----\n", name, err, vlog);
	printf("NFC-RESULT name=%s ok=%d load_err=%d expect=\"%s\"\n", name, ok, err, text);
	bpf_object__close(obj);
	return ok ? 0 : 1;
}

static unsigned long long fnv(unsigned long long h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static int unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (n < max && sscanf(hex + 2 * n, "%2x", &b) == 1)
		out[n++] = (unsigned char)b;
	return (int)n;
}

/* `config SYMBOL HEX`: set a `const volatile` global in .rodata (before load). */
static int set_config(struct bpf_object *obj, const char *sym, const unsigned char *val, int n)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, ".rodata");
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	int id, i, err;

	if (!m || !btf || (id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC)) < 0)
		return -1;
	sec = btf__type_by_id(btf, (__u32)id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		const void *init;
		unsigned char *copy;
		size_t size;

		if (strcmp(btf__name_by_offset(btf, var->name_off), sym) || n != (int)vs->size)
			continue;
		init = bpf_map__initial_value(m, &size);
		if (!init || vs->offset + n > size || !(copy = malloc(size)))
			return -1;
		memcpy(copy, init, size);
		memcpy(copy + vs->offset, val, n);
		err = bpf_map__set_initial_value(m, copy, size);
		free(copy);
		return err ? -1 : 0;
	}
	return -1;
}

/*
 * SETUPFILE lines: `config SYMBOL HEX` (phase 0, before load) and `MAP KEYHEX VALHEX` map updates
 * (phase 1, after load; per-CPU maps: every CPU alike). Returns the lines applied, -1 on error.
 */
static int apply_setup(const char *name, struct bpf_object *obj, const char *fpath, int phase)
{
	static unsigned char key[512], val[1 << 20], all[32768 * 64]; /* per-CPU values <= 32 KiB */
	static char line[2 * sizeof(val) + 1200], map[256], khex[1100], vhex[2 * sizeof(val) + 2];
	struct bpf_map *m;
	FILE *f = fopen(fpath, "r");
	int ncpu = libbpf_num_possible_cpus(), nk, nv, n = 0;

	if (!f) {
		printf("NFC-RESULT name=%s ok=0 reason=\"no setup file\"\n", name);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %1099s %2097153s", map, khex, vhex) != 3 || phase != !!strcmp(map, "config"))
			continue;
		if (!phase) {
			nv = unhex(vhex, val, sizeof(val));
			if (set_config(obj, khex, val, nv))
				goto bad;
			n++;
			continue;
		}
		m = bpf_object__find_map_by_name(obj, map);
		nk = unhex(khex, key, sizeof(key));
		nv = unhex(vhex, val, sizeof(val));
		if (!m || nk != (int)bpf_map__key_size(m) || nv != (int)bpf_map__value_size(m))
			goto bad;
		if (bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_ARRAY || bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_HASH) {
			size_t stride = (nv + 7) & ~7;

			if (ncpu < 1 || stride * ncpu > sizeof(all))
				goto bad;
			memset(all, 0, stride * ncpu);
			for (int c = 0; c < ncpu; c++)
				memcpy(all + c * stride, val, nv);
			if (bpf_map_update_elem(bpf_map__fd(m), key, all, BPF_ANY))
				goto bad;
		} else if (bpf_map_update_elem(bpf_map__fd(m), key, val, BPF_ANY)) {
			goto bad;
		}
		n++;
	}
	fclose(f);
	return n;
bad:
	printf("NFC-RESULT name=%s ok=0 reason=\"setup: %s\"\n", name, map);
	fclose(f);
	return -1;
}

static int pkts(const char *name, const char *path, const char *rest, const char *dir)
{
	char prog_name[256], file[256], setup[256] = "", fpath[1024], hex[8192];
	unsigned int counts[8] = { 0 };
	unsigned char in[2048], out[4096];
	unsigned long long digest = 0xcbf29ce484222325ULL;
	struct bpf_object *obj;
	struct bpf_program *prog, *p;
	struct bpf_map *clock;
	int n = 0, err, clock_fd = -1;
	FILE *f;

	if (sscanf(rest, "%255s %255s %255s", prog_name, file, setup) < 2) {
		printf("NFC-RESULT name=%s ok=0 reason=\"pkts needs PROG FILE\"\n", name);
		return 1;
	}
	snprintf(fpath, sizeof(fpath), "%s/%s", dir, file);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		printf("NFC-RESULT name=%s ok=0 reason=\"open %s: %d\"\n", name, path, -errno);
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, prog_name);
	if (!prog) {
		printf("NFC-RESULT name=%s ok=0 reason=\"no program %s\"\n", name, prog_name);
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	if (retag_kptr_for_old_kernel(obj) < 0) {
		printf("NFC-RESULT name=%s ok=0 reason=\"kptr retag failed\"\n", name);
		bpf_object__close(obj);
		return 1;
	}
	if (setup[0]) {
		snprintf(fpath, sizeof(fpath), "%s/%s", dir, setup);
		if (apply_setup(name, obj, fpath, 0) < 0) {
			bpf_object__close(obj);
			return 1;
		}
	}
	err = bpf_object__load(obj);
	if (err) {
		log_failure(name, path, prog_name);
		printf("NFC-RESULT name=%s ok=0 reason=\"load failed: %d\"\n", name, err);
		bpf_object__close(obj);
		return 1;
	}
	if (setup[0]) {
		if (apply_setup(name, obj, fpath, 1) < 0) {
			bpf_object__close(obj);
			return 1;
		}
		snprintf(fpath, sizeof(fpath), "%s/%s", dir, file);
	}
	/* a test build (-DNF_TEST_CLOCK): now_ns() reads this map; packet i runs at 1e9 + i * 1000 ns */
	clock = bpf_object__find_map_by_name(obj, "nf_test_clock");
	if (clock)
		clock_fd = bpf_map__fd(clock);
	f = fopen(fpath, "r");
	if (!f) {
		printf("NFC-RESULT name=%s ok=0 reason=\"no packet file %s\"\n", name, file);
		bpf_object__close(obj);
		return 1;
	}
	while (fgets(hex, sizeof(hex), f)) {
		size_t len = 0;
		unsigned int b;
		for (const char *c = hex; len < sizeof(in) && sscanf(c, "%2x", &b) == 1; c += 2)
			in[len++] = (unsigned char)b;
		if (!len)
			continue;
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = (unsigned int)len,
			    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
		if (clock_fd >= 0) {
			unsigned int zero = 0;
			unsigned long long now = 1000000000ULL + 1000ULL * (unsigned long long)n;

			bpf_map_update_elem(clock_fd, &zero, &now, BPF_ANY);
		}
		err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
		if (err) {
			printf("NFC-RESULT name=%s ok=0 reason=\"test_run packet %d: %d\"\n", name, n, -errno);
			fclose(f);
			bpf_object__close(obj);
			return 1;
		}
		unsigned char le[8];
		for (int i = 0; i < 4; i++) {
			le[i] = (unsigned char)(opts.retval >> (8 * i));
			le[4 + i] = (unsigned char)(opts.data_size_out >> (8 * i));
		}
		digest = fnv(fnv(digest, le, 8), out, opts.data_size_out);
		counts[opts.retval < 7 ? opts.retval : 7]++;
		n++;
	}
	fclose(f);
	bpf_object__close(obj);
	printf("NFC-RESULT name=%s ok=%d packets=%d counts=%u,%u,%u,%u,%u,%u,%u,%u digest=%016llx\n", name, n > 0,
	       n, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], digest);
	return n > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	char line[1024], path[1024];
	int failed = 0;
	FILE *f;

	if (argc != 4 || strcmp(argv[1], "manifest")) {
		fprintf(stderr, "usage: nfc-loader manifest FILE DIR\n");
		return 2;
	}
	libbpf_set_print(quiet_print);
	f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), f)) {
		char *save, *kind, *name, *obj, *rest;
		line[strcspn(line, "\n")] = 0;
		kind = strtok_r(line, " \t", &save);
		if (!kind || kind[0] == '#')
			continue;
		name = strtok_r(NULL, " \t", &save);
		if (!name) {
			fprintf(stderr, "bad manifest line\n");
			failed++;
			continue;
		}
		if (!strcmp(kind, "probe")) {
			failed += probe(name);
			continue;
		}
		obj = strtok_r(NULL, " \t", &save);
		rest = save ? save + strspn(save, " \t") : NULL;
		if (!obj || !rest || !*rest) {
			printf("NFC-RESULT name=%s ok=0 reason=\"bad manifest line\"\n", name);
			failed++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", argv[3], obj);
		if (!strcmp(kind, "run"))
			failed += run(name, path, rest, 1);
		else if (!strcmp(kind, "bench")) {
			char prog[256];
			int repeat = 0;
			if (sscanf(rest, "%255s %d", prog, &repeat) != 2 || repeat < 2) {
				printf("NFC-RESULT name=%s ok=0 reason=\"bench needs PROG REPEAT>1\"\n", name);
				failed++;
			} else
				failed += run(name, path, prog, repeat);
		}
		else if (!strcmp(kind, "reject"))
			failed += reject(name, path, rest);
		else if (!strcmp(kind, "pkts"))
			failed += pkts(name, path, rest, argv[3]);
		else {
			printf("NFC-RESULT name=%s ok=0 reason=\"unknown kind %s\"\n", name, kind);
			failed++;
		}
	}
	fclose(f);
	return failed ? 1 : 0;
}
