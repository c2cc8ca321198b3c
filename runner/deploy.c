/* Deploy commands of nfc-runner: pin maps and programs, reuse pinned maps, attach a program to an
 * interface with a bpf_link (XDP, or tcx for TC) inside a network namespace, and read back what is
 * deployed (link and program info, the kernel's id lists, the XDP program on an interface).
 *
 * Namespaces: only the network namespace is entered (setns CLONE_NEWNET), for the interface lookup
 * and the link creation; the mount namespace stays the caller's, so bpffs pins keep working (after
 * `ip netns exec`'s /sys remount, bpffs is not visible). The link is pinned after returning to the
 * caller's namespace; it stays attached to the interface it was created on. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

/* Debian's libbpf 1.1 uapi headers predate tcx (Linux 6.6); the values are the kernel's ABI. */
#ifndef BPF_TCX_INGRESS
#define NFC_TCX_INGRESS 46
#define NFC_TCX_EGRESS 47
#else
#define NFC_TCX_INGRESS BPF_TCX_INGRESS
#define NFC_TCX_EGRESS BPF_TCX_EGRESS
#endif

void close_pinned(struct runner *r)
{
	for (int i = 0; i < r->npinned; i++)
		close(r->pinned[i].fd);
	r->npinned = 0;
}

/* pinned NAME PATH: opens a pinned map so that the map commands can use it under NAME. */
int cmd_pinned(struct runner *r, int argc, char **argv)
{
	(void)argc;
	if (strlen(argv[0]) >= sizeof(r->pinned[0].name))
		return fail(r, 0, "map name too long");
	int fd = bpf_obj_get(argv[1]);
	if (fd < 0) {
		int e = errno;
		return fail(r, e, "cannot open pinned '%s': %s", argv[1], strerror(e));
	}
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.id == 0 ||
	    (info.key_size + info.value_size == 0 && info.type != BPF_MAP_TYPE_RINGBUF)) {
		close(fd);
		return fail(r, EINVAL, "'%s' is not a pinned map", argv[1]);
	}
	int slot = -1;
	for (int i = 0; i < r->npinned; i++)
		if (strcmp(r->pinned[i].name, argv[0]) == 0)
			slot = i;
	if (slot < 0 && r->npinned == MAX_PINNED) {
		close(fd);
		return fail(r, 0, "too many pinned maps open (max %d)", MAX_PINNED);
	}
	if (slot < 0)
		slot = r->npinned++;
	else
		close(r->pinned[slot].fd);
	snprintf(r->pinned[slot].name, sizeof(r->pinned[slot].name), "%s", argv[0]);
	r->pinned[slot].fd = fd;
	j_key(&r->body, "id");
	j_uint(&r->body, info.id);
	return 0;
}

/* reuse MAP PATH: before load, makes the object use the map pinned at PATH instead of creating one.
 * libbpf checks type, key/value size, max_entries and flags against the object's definition. */
int cmd_reuse(struct runner *r, int argc, char **argv)
{
	(void)argc;
	if (r->loaded)
		return fail(r, 0, "reuse must come before load");
	struct bpf_map *m = bpf_object__find_map_by_name(r->obj, argv[0]);
	if (!m)
		return fail(r, ENOENT, "no map named '%s'", argv[0]);
	int fd = bpf_obj_get(argv[1]);
	if (fd < 0) {
		int e = errno;
		return fail(r, e, "cannot open pinned '%s': %s", argv[1], strerror(e));
	}
	int err = bpf_map__reuse_fd(m, fd);
	close(fd);
	if (err)
		return fail(r, -err, "cannot reuse '%s' for map '%s': %s", argv[1], argv[0], strerror(-err));
	return 0;
}

/* pin MAP PATH */
int cmd_pin(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct bpf_map *m = find_map(r, argv[0]);
	if (!m)
		return -1;
	int err = bpf_obj_pin(bpf_map__fd(m), argv[1]);
	if (err) {
		int e = errno;
		return fail(r, e, "cannot pin map '%s' at '%s': %s", argv[0], argv[1], strerror(e));
	}
	return 0;
}

/* pinprog PROG PATH */
int cmd_pinprog(struct runner *r, int argc, char **argv)
{
	(void)argc;
	struct bpf_program *p = find_program(r, argv[0]);
	if (!p)
		return -1;
	if (bpf_obj_pin(bpf_program__fd(p), argv[1])) {
		int e = errno;
		return fail(r, e, "cannot pin program '%s' at '%s': %s", argv[0], argv[1], strerror(e));
	}
	return 0;
}

/* Enters network namespace NS ("-": stay); *home receives the caller's namespace to return to. */
int enter_netns(struct runner *r, const char *ns, int *home)
{
	*home = -1;
	if (strcmp(ns, "-") == 0)
		return 0;
	char path[256];
	if (ns[0] == '/')
		snprintf(path, sizeof(path), "%s", ns);
	else
		snprintf(path, sizeof(path), "/var/run/netns/%s", ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		return fail(r, e, "no network namespace '%s' (%s): %s", ns, path, strerror(e));
	}
	*home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*home < 0 || setns(fd, CLONE_NEWNET)) {
		int e = errno;
		close(fd);
		if (*home >= 0)
			close(*home);
		*home = -1;
		return fail(r, e, "cannot enter network namespace '%s': %s", ns, strerror(e));
	}
	close(fd);
	return 0;
}

/* Returns to the caller's namespace; a failure here is fatal (every later command would run in
 * the wrong namespace). */
void leave_netns(int home)
{
	if (home < 0)
		return;
	if (setns(home, CLONE_NEWNET)) {
		perror("nfc-runner: cannot return to the original network namespace");
		_exit(1);
	}
	close(home);
}

int ifindex_in(struct runner *r, const char *ifname, const char *ns)
{
	unsigned idx = if_nametoindex(ifname);
	if (idx == 0) {
		int e = errno;
		return fail(r, e, "no interface '%s'%s%s", ifname, strcmp(ns, "-") ? " in namespace " : "",
			    strcmp(ns, "-") ? ns : "");
	}
	return (int)idx;
}

/* attach PROG KIND IFNAME NETNS|- LINKPIN: creates a bpf_link on IFNAME (looked up in NETNS) and
 * pins it at LINKPIN. Replies link_id, prog_id, ifindex. On failure nothing stays attached. */
int cmd_attach(struct runner *r, int argc, char **argv)
{
	(void)argc;
	const char *kind = argv[1], *ifname = argv[2], *ns = argv[3], *pin = argv[4];
	struct bpf_program *p = find_program(r, argv[0]);
	if (!p)
		return -1;
	enum bpf_attach_type type;
	__u32 flags = 0;
	if (strcmp(kind, "xdp") == 0)
		type = BPF_XDP;
	else if (strcmp(kind, "xdp-native") == 0)
		type = BPF_XDP, flags = XDP_FLAGS_DRV_MODE;
	else if (strcmp(kind, "xdp-generic") == 0)
		type = BPF_XDP, flags = XDP_FLAGS_SKB_MODE;
	else if (strcmp(kind, "tcx-ingress") == 0)
		type = (enum bpf_attach_type)NFC_TCX_INGRESS;
	else if (strcmp(kind, "tcx-egress") == 0)
		type = (enum bpf_attach_type)NFC_TCX_EGRESS;
	else
		return fail(r, 0, "unknown attach kind '%.32s'", kind);
	int home;
	if (enter_netns(r, ns, &home))
		return -1;
	int ifindex = ifindex_in(r, ifname, ns), link = -1, e = 0;
	if (ifindex > 0) {
		LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
		link = bpf_link_create(bpf_program__fd(p), ifindex, type, &opts);
		e = errno;
	}
	leave_netns(home);
	if (ifindex <= 0)
		return -1;
	if (link < 0)
		return fail(r, e, "cannot attach '%s' (%s) to %s: %s", argv[0], kind, ifname, strerror(e));
	if (bpf_obj_pin(link, pin)) {
		e = errno;
		close(link); /* the only reference: closing detaches */
		return fail(r, e, "cannot pin the link at '%s': %s", pin, strerror(e));
	}
	struct bpf_link_info info;
	__u32 len = sizeof(info);
	memset(&info, 0, sizeof(info));
	bpf_obj_get_info_by_fd(link, &info, &len);
	close(link);
	j_key(&r->body, "link_id");
	j_uint(&r->body, info.id);
	j_key(&r->body, "prog_id");
	j_uint(&r->body, info.prog_id);
	j_key(&r->body, "ifindex");
	j_int(&r->body, ifindex);
	return 0;
}

/* relink LINKPIN PROG: atomically replaces the program of the pinned link with PROG (a program of
 * the loaded object by name, or a pinned program when PROG starts with '/'): bpf_link_update, so
 * every packet runs either the old or the new program. Replies the link's new prog_id. */
int cmd_relink(struct runner *r, int argc, char **argv)
{
	(void)argc;
	int prog_fd, own = 0;
	if (argv[1][0] == '/') {
		prog_fd = bpf_obj_get(argv[1]);
		if (prog_fd < 0) {
			int e = errno;
			return fail(r, e, "cannot open pinned program '%s': %s", argv[1], strerror(e));
		}
		own = 1;
	} else {
		if (!r->loaded)
			return fail(r, 0, "object not loaded (use: load)");
		struct bpf_program *p = find_program(r, argv[1]);
		if (!p)
			return -1;
		prog_fd = bpf_program__fd(p);
	}
	int link = bpf_obj_get(argv[0]);
	if (link < 0) {
		int e = errno;
		if (own)
			close(prog_fd);
		return fail(r, e, "cannot open pinned link '%s': %s", argv[0], strerror(e));
	}
	int err = bpf_link_update(link, prog_fd, NULL), e = errno;
	struct bpf_link_info info;
	__u32 len = sizeof(info);
	memset(&info, 0, sizeof(info));
	if (!err)
		bpf_obj_get_info_by_fd(link, &info, &len);
	close(link);
	if (own)
		close(prog_fd);
	if (err)
		return fail(r, e, "cannot update link '%s': %s", argv[0], strerror(e));
	j_key(&r->body, "prog_id");
	j_uint(&r->body, info.prog_id);
	return 0;
}

/* xdpquery IFNAME NETNS|-: the XDP program attached to IFNAME (prog_id 0: none) and its mode. */
int cmd_xdpquery(struct runner *r, int argc, char **argv)
{
	(void)argc;
	int home;
	if (enter_netns(r, argv[1], &home))
		return -1;
	int ifindex = ifindex_in(r, argv[0], argv[1]), err = 0;
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	if (ifindex > 0)
		err = bpf_xdp_query(ifindex, 0, &q);
	leave_netns(home);
	if (ifindex <= 0)
		return -1;
	if (err)
		return fail(r, -err, "cannot query XDP on %s: %s", argv[0], strerror(-err));
	j_key(&r->body, "ifindex");
	j_int(&r->body, ifindex);
	j_key(&r->body, "prog_id");
	j_uint(&r->body, q.prog_id);
	j_key(&r->body, "attach_mode");
	j_uint(&r->body, q.attach_mode);
	return 0;
}

/* xdpdetach IFNAME NETNS|-: detaches a netlink-attached XDP program (in the mode it runs in).
 * A program held by a bpf_link cannot be detached this way (EBUSY): its owner must release it. */
int cmd_xdpdetach(struct runner *r, int argc, char **argv)
{
	(void)argc;
	int home;
	if (enter_netns(r, argv[1], &home))
		return -1;
	int ifindex = ifindex_in(r, argv[0], argv[1]), err = 0;
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	if (ifindex > 0)
		err = bpf_xdp_query(ifindex, 0, &q);
	if (ifindex > 0 && !err && q.prog_id) {
		int mode = q.attach_mode == XDP_ATTACHED_SKB ? XDP_FLAGS_SKB_MODE :
			   q.attach_mode == XDP_ATTACHED_HW  ? XDP_FLAGS_HW_MODE :
							      XDP_FLAGS_DRV_MODE;
		err = bpf_xdp_detach(ifindex, mode, NULL);
	}
	leave_netns(home);
	if (ifindex <= 0)
		return -1;
	if (err)
		return fail(r, -err, "cannot detach XDP from %s: %s", argv[0], strerror(-err));
	return 0;
}

/* linkinfo PINPATH: id, prog_id, type and ifindex of a pinned XDP or tcx link. A link whose
 * interface is gone (its namespace deleted) reports ifindex 0. */
int cmd_linkinfo(struct runner *r, int argc, char **argv)
{
	(void)argc;
	int fd = bpf_obj_get(argv[0]);
	if (fd < 0) {
		int e = errno;
		return fail(r, e, "cannot open pinned link '%s': %s", argv[0], strerror(e));
	}
	struct bpf_link_info info;
	__u32 len = sizeof(info);
	memset(&info, 0, sizeof(info));
	int err = bpf_obj_get_info_by_fd(fd, &info, &len), e = errno;
	close(fd);
	if (err)
		return fail(r, e, "'%s' is not a link: %s", argv[0], strerror(e));
	j_key(&r->body, "id");
	j_uint(&r->body, info.id);
	j_key(&r->body, "prog_id");
	j_uint(&r->body, info.prog_id);
	j_key(&r->body, "type");
	j_uint(&r->body, info.type);
	/* XDP and tcx links both start their union member with the ifindex. */
	j_key(&r->body, "ifindex");
	j_uint(&r->body, info.xdp.ifindex);
	return 0;
}

/* proginfo PINPATH: id, name and type of a pinned program. */
int cmd_proginfo(struct runner *r, int argc, char **argv)
{
	(void)argc;
	int fd = bpf_obj_get(argv[0]);
	if (fd < 0) {
		int e = errno;
		return fail(r, e, "cannot open pinned program '%s': %s", argv[0], strerror(e));
	}
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	memset(&info, 0, sizeof(info));
	int err = bpf_obj_get_info_by_fd(fd, &info, &len), e = errno;
	close(fd);
	if (err)
		return fail(r, e, "'%s' is not a program: %s", argv[0], strerror(e));
	const char *type = libbpf_bpf_prog_type_str((enum bpf_prog_type)info.type);
	j_key(&r->body, "id");
	j_uint(&r->body, info.id);
	j_key(&r->body, "name");
	j_str(&r->body, info.name);
	j_key(&r->body, "type");
	j_str(&r->body, type ? type : "unknown");
	/* kernel.bpf_stats_enabled=1: runs and their total time (0 while it is off) */
	j_key(&r->body, "run_cnt");
	j_uint(&r->body, info.run_cnt);
	j_key(&r->body, "run_time_ns");
	j_uint(&r->body, info.run_time_ns);
	return 0;
}

static void put_ids(struct jbuf *j, const char *key, int (*next)(__u32, __u32 *))
{
	j_key(j, key);
	j_arr_begin(j);
	__u32 id = 0;
	while (next(id, &id) == 0)
		j_uint(j, id);
	j_arr_end(j);
}

/* ids: every program, map and link id in the kernel (for "nothing left behind" checks). */
int cmd_ids(struct runner *r, int argc, char **argv)
{
	(void)argc, (void)argv;
	put_ids(&r->body, "progs", bpf_prog_get_next_id);
	put_ids(&r->body, "maps", bpf_map_get_next_id);
	put_ids(&r->body, "links", bpf_link_get_next_id);
	return 0;
}
