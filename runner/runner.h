/* Shared state and command handlers of nfc-runner (protocol: see CONTEXT.md). */
#ifndef NFC_RUNNER_H
#define NFC_RUNNER_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stddef.h>

#include "out.h"

#define PROTOCOL_VERSION 1
/* The deploy commands (deploy.c, pinned maps, count/clear): absent in older runners. 2: batch. 3: copy. 4: tc clsact. */
#define DEPLOY_VERSION 4

#define MAX_PINNED 64

/* A map opened from bpffs by `pinned NAME PATH` (the control plane of a deployed NF). */
struct pinned_map {
	char name[64];
	int fd;
};

struct runner {
	struct bpf_object *obj;
	struct pinned_map pinned[MAX_PINNED];
	int npinned;
	int loaded;
	/* Kernel log (verifier, BTF) for the object's load; libbpf overwrites it per BPF command. */
	char *log_buf;
	size_t log_size;
	/* The reply's fields after "ok"/"error"; handlers write into it. */
	struct jbuf body;
	/* Set by fail(): the reply becomes {"ok":false,"error":...,"errno":...}. */
	char error[512];
	int err_no;
	int quit;
	/* events.c: the ring buffer `ringbuf` registered, and records in the current reply. */
	struct ring_buffer *ring;
	int nevents;
};

/* Each handler gets the command's arguments (argv[0] is the first argument, not the command)
 * and returns 0, or -1 after fail(). */
typedef int (*command_fn)(struct runner *r, int argc, char **argv);

/* Records an error for the current reply; err_no 0 means "not a system error". Returns -1. */
int fail(struct runner *r, int err_no, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Decodes a hex argument that must be exactly `want` bytes (0 = any length). */
int arg_hex(struct runner *r, const char *what, const char *hex, size_t want, unsigned char **out,
	    size_t *len);

/* Resolves a map by name (fails the reply if the object is not loaded or the map is unknown). */
struct bpf_map *find_map(struct runner *r, const char *name);

/* The fd of map `name`: the loaded object's map, else a `pinned` one; -1 after fail(). */
int find_map_fd(struct runner *r, const char *name);

/* Finds a program of the loaded object by name (fails the reply if unknown). */
struct bpf_program *find_program(struct runner *r, const char *name);

/* Geometry of one map's values as the syscall sees them. */
struct shape {
	int fd;
	size_t key_size, value_size;
	int percpu, ncpus;
	size_t stride, buf_size;
	struct bpf_map_info info;
};

/* The map `name` (the loaded object's, else a `pinned` one) and its geometry; -1 after fail(). */
int map_shape(struct runner *r, const char *name, struct shape *s);

int cmd_update(struct runner *r, int argc, char **argv);
int cmd_batch(struct runner *r, int argc, char **argv);
int cmd_copy(struct runner *r, int argc, char **argv);
int cmd_lookup(struct runner *r, int argc, char **argv);
int cmd_delete(struct runner *r, int argc, char **argv);
int cmd_dump(struct runner *r, int argc, char **argv);
int cmd_info(struct runner *r, int argc, char **argv);
int cmd_count(struct runner *r, int argc, char **argv);
int cmd_clear(struct runner *r, int argc, char **argv);
/* deploy.c: pinning, attaching, and reading back what is deployed. */
int cmd_pinned(struct runner *r, int argc, char **argv);
int cmd_reuse(struct runner *r, int argc, char **argv);
int cmd_pin(struct runner *r, int argc, char **argv);
int cmd_pinprog(struct runner *r, int argc, char **argv);
int cmd_attach(struct runner *r, int argc, char **argv);
int cmd_relink(struct runner *r, int argc, char **argv);
int cmd_xdpquery(struct runner *r, int argc, char **argv);
int cmd_xdpdetach(struct runner *r, int argc, char **argv);
int cmd_linkinfo(struct runner *r, int argc, char **argv);
int cmd_proginfo(struct runner *r, int argc, char **argv);
int cmd_ids(struct runner *r, int argc, char **argv);
void close_pinned(struct runner *r);
/* deploy.c: enter network namespace NS ("-": stay; *home: where to return), return, and look an
 * interface up there (its ifindex, or -1 after fail()). */
int enter_netns(struct runner *r, const char *ns, int *home);
void leave_netns(int home);
int ifindex_in(struct runner *r, const char *ifname, const char *ns);
/* tc.c: TC clsact + bpf filter attachment (kernels without tcx). */
int cmd_tcattach(struct runner *r, int argc, char **argv);
int cmd_tcdetach(struct runner *r, int argc, char **argv);
int cmd_tcquery(struct runner *r, int argc, char **argv);
int cmd_run(struct runner *r, int argc, char **argv);
/* events.c: ring buffers. */
int cmd_ringbuf(struct runner *r, int argc, char **argv);
int cmd_events(struct runner *r, int argc, char **argv);
int reply_events(struct runner *r, int timeout_ms);
void close_ring(struct runner *r);
int cmd_runtrace(struct runner *r, int argc, char **argv);

#endif
