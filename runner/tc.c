/* TC attachment through a clsact qdisc and a direct-action bpf filter (netlink, libbpf bpf_tc_*):
 * the fallback for kernels without tcx (before 6.6), and `--tc-mode clsact`. A filter holds its
 * program; there is no link to pin, so the caller records the filter's handle and priority.
 *   tcattach PROG ingress|egress IFNAME NETNS|- [HANDLE PRIO]
 *       PROG: a program of the loaded object, or a pinned program's path (starting with '/').
 *       Without HANDLE/PRIO: creates clsact if absent and adds a filter (the kernel picks handle
 *       and priority). With them: replaces that filter's program in place (BPF_TC_F_REPLACE; each
 *       packet runs the old or the new program). Replies handle, priority, prog_id, ifindex and
 *       created (this call created the clsact qdisc).
 *   tcdetach IFNAME NETNS|- ingress|egress HANDLE PRIO [destroy]: removes the filter; `destroy`
 *       also removes the clsact qdisc (the caller created it and nothing else of its own is left).
 *   tcquery IFNAME NETNS|- ingress|egress HANDLE PRIO: prog_id of that filter (0: gone). */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

static int direction(struct runner *r, const char *d, enum bpf_tc_attach_point *p)
{
	if (strcmp(d, "ingress") == 0)
		*p = BPF_TC_INGRESS;
	else if (strcmp(d, "egress") == 0)
		*p = BPF_TC_EGRESS;
	else
		return fail(r, 0, "direction must be ingress or egress, not '%.32s'", d);
	return 0;
}

static int prog_fd_of(struct runner *r, const char *prog, int *own)
{
	*own = 0;
	if (prog[0] == '/') {
		int fd = bpf_obj_get(prog);
		if (fd < 0) {
			int e = errno;
			return fail(r, e, "cannot open pinned program '%s': %s", prog, strerror(e));
		}
		*own = 1;
		return fd;
	}
	if (!r->loaded)
		return fail(r, 0, "object not loaded (use: load)");
	struct bpf_program *p = find_program(r, prog);
	return p ? bpf_program__fd(p) : -1;
}

int cmd_tcattach(struct runner *r, int argc, char **argv)
{
	enum bpf_tc_attach_point point = BPF_TC_INGRESS;
	if (direction(r, argv[1], &point))
		return -1;
	int own, fd = prog_fd_of(r, argv[0], &own);
	if (fd < 0)
		return -1;
	int home;
	if (enter_netns(r, argv[3], &home)) {
		if (own)
			close(fd);
		return -1;
	}
	int ifindex = ifindex_in(r, argv[2], argv[3]), err = 0, created = 0;
	LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = fd);
	if (argc > 5) {
		opts.handle = (__u32)strtoul(argv[4], NULL, 0);
		opts.priority = (__u32)strtoul(argv[5], NULL, 0);
		opts.flags = BPF_TC_F_REPLACE;
	}
	if (ifindex > 0) {
		hook.ifindex = ifindex;
		err = bpf_tc_hook_create(&hook);
		created = err == 0;
		if (err == -EEXIST)
			err = 0;
		if (!err)
			err = bpf_tc_attach(&hook, &opts);
		if (err && created) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
		}
	}
	leave_netns(home);
	if (own)
		close(fd);
	if (ifindex <= 0)
		return -1;
	if (err)
		return fail(r, -err, "cannot attach to %s (clsact %s): %s", argv[2], argv[1], strerror(-err));
	j_key(&r->body, "handle");
	j_uint(&r->body, opts.handle);
	j_key(&r->body, "priority");
	j_uint(&r->body, opts.priority);
	j_key(&r->body, "prog_id");
	j_uint(&r->body, opts.prog_id);
	j_key(&r->body, "ifindex");
	j_int(&r->body, ifindex);
	j_key(&r->body, "created");
	j_bool(&r->body, created);
	return 0;
}

/* Enters NS, finds IFNAME and runs `f` on its hook and filter; shared by tcdetach and tcquery. */
static int on_filter(struct runner *r, char **argv, int (*f)(struct bpf_tc_hook *, struct bpf_tc_opts *, void *),
		     void *arg)
{
	enum bpf_tc_attach_point point = BPF_TC_INGRESS;
	if (direction(r, argv[2], &point))
		return -1;
	int home;
	if (enter_netns(r, argv[1], &home))
		return -1;
	int ifindex = ifindex_in(r, argv[0], argv[1]), err = 0;
	LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = (__u32)strtoul(argv[3], NULL, 0),
		    .priority = (__u32)strtoul(argv[4], NULL, 0));
	if (ifindex > 0) {
		hook.ifindex = ifindex;
		err = f(&hook, &opts, arg);
	}
	leave_netns(home);
	if (ifindex <= 0)
		return -1;
	return err;
}

static int detach(struct bpf_tc_hook *hook, struct bpf_tc_opts *opts, void *destroy)
{
	int err = bpf_tc_detach(hook, opts);
	if ((!err || err == -ENOENT) && *(int *)destroy) {
		hook->attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		err = bpf_tc_hook_destroy(hook);
	}
	return err;
}

int cmd_tcdetach(struct runner *r, int argc, char **argv)
{
	int destroy = argc > 5 && strcmp(argv[5], "destroy") == 0;
	int err = on_filter(r, argv, detach, &destroy);
	if (err == -1 && r->error[0])
		return -1;
	if (err && err != -ENOENT)
		return fail(r, -err, "cannot detach the clsact filter from %s: %s", argv[0], strerror(-err));
	j_key(&r->body, "detached");
	j_bool(&r->body, err == 0);
	return 0;
}

static int query(struct bpf_tc_hook *hook, struct bpf_tc_opts *opts, void *prog_id)
{
	int err = bpf_tc_query(hook, opts);
	*(__u32 *)prog_id = err ? 0 : opts->prog_id;
	return err == -ENOENT ? 0 : err;
}

int cmd_tcquery(struct runner *r, int argc, char **argv)
{
	(void)argc;
	__u32 prog_id = 0;
	int err = on_filter(r, argv, query, &prog_id);
	if (err == -1 && r->error[0])
		return -1;
	if (err)
		return fail(r, -err, "cannot query the clsact filter on %s: %s", argv[0], strerror(-err));
	j_key(&r->body, "prog_id");
	j_uint(&r->body, prog_id);
	return 0;
}
