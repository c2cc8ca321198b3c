/* JSON reply builder and hex codec for nfc-runner. One reply = one JSON object on one line. */
#ifndef NFC_RUNNER_OUT_H
#define NFC_RUNNER_OUT_H

#include <stddef.h>
#include <stdint.h>

#define JBUF_MAX_DEPTH 16

struct jbuf {
	char *s;
	size_t len, cap;
	int depth;
	int after_key;
	int first[JBUF_MAX_DEPTH];
};

void j_reset(struct jbuf *j);
void j_raw(struct jbuf *j, const char *s, size_t n);
void j_key(struct jbuf *j, const char *key);
void j_str(struct jbuf *j, const char *s);
void j_strn(struct jbuf *j, const char *s, size_t n);
void j_int(struct jbuf *j, long long v);
void j_uint(struct jbuf *j, unsigned long long v);
void j_bool(struct jbuf *j, int v);
void j_hex(struct jbuf *j, const void *data, size_t n);
void j_obj_begin(struct jbuf *j);
void j_obj_end(struct jbuf *j);
void j_arr_begin(struct jbuf *j);
void j_arr_end(struct jbuf *j);

/* Decodes lowercase or uppercase hex without 0x. Returns 0 and a malloc'd buffer, or -1. */
int hex_decode(const char *hex, uint8_t **out, size_t *out_len);

/* Parses a non-negative decimal integer that fits in max. Returns 0 or -1. */
int parse_uint(const char *s, unsigned long long max, unsigned long long *out);

#endif
