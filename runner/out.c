/* JSON reply builder and hex codec for nfc-runner (see out.h). Allocation failure aborts:
 * the runner is a helper process and the TS side reports its death as NF5011. */
#include "out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(struct jbuf *j, size_t extra)
{
	if (j->len + extra + 1 <= j->cap)
		return;
	size_t cap = j->cap ? j->cap : 4096;
	while (cap < j->len + extra + 1)
		cap *= 2;
	char *s = realloc(j->s, cap);
	if (!s) {
		fputs("nfc-runner: out of memory\n", stderr);
		abort();
	}
	j->s = s;
	j->cap = cap;
}

void j_raw(struct jbuf *j, const char *s, size_t n)
{
	grow(j, n);
	memcpy(j->s + j->len, s, n);
	j->len += n;
	j->s[j->len] = '\0';
}

void j_reset(struct jbuf *j)
{
	j->len = 0;
	j->depth = 0;
	j->after_key = 0;
	j->first[0] = 1;
	grow(j, 0);
	j->s[0] = '\0';
}

/* Separator before a key (in objects) or a value (in arrays); nothing right after a key. */
static void sep(struct jbuf *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (!j->first[j->depth])
		j_raw(j, ",", 1);
	j->first[j->depth] = 0;
}

static void put_quoted(struct jbuf *j, const char *s, size_t n)
{
	static const char hexd[] = "0123456789abcdef";
	j_raw(j, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			j_raw(j, e, 2);
		} else if (c == '\n') {
			j_raw(j, "\\n", 2);
		} else if (c == '\t') {
			j_raw(j, "\\t", 2);
		} else if (c < 0x20 || c >= 0x7f) {
			/* Non-ASCII bytes are escaped one by one: the reply is always valid ASCII JSON. */
			char e[6] = { '\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15] };
			j_raw(j, e, 6);
		} else {
			j_raw(j, (const char *)&c, 1);
		}
	}
	j_raw(j, "\"", 1);
}

void j_key(struct jbuf *j, const char *key)
{
	sep(j);
	put_quoted(j, key, strlen(key));
	j_raw(j, ":", 1);
	j->after_key = 1;
}

void j_strn(struct jbuf *j, const char *s, size_t n)
{
	sep(j);
	put_quoted(j, s, n);
}

void j_str(struct jbuf *j, const char *s)
{
	j_strn(j, s, strlen(s));
}

void j_int(struct jbuf *j, long long v)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "%lld", v);
	sep(j);
	j_raw(j, b, (size_t)n);
}

void j_uint(struct jbuf *j, unsigned long long v)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "%llu", v);
	sep(j);
	j_raw(j, b, (size_t)n);
}

void j_bool(struct jbuf *j, int v)
{
	sep(j);
	j_raw(j, v ? "true" : "false", v ? 4 : 5);
}

void j_hex(struct jbuf *j, const void *data, size_t n)
{
	static const char hexd[] = "0123456789abcdef";
	const uint8_t *p = data;
	sep(j);
	grow(j, 2 * n + 2);
	j->s[j->len++] = '"';
	for (size_t i = 0; i < n; i++) {
		j->s[j->len++] = hexd[p[i] >> 4];
		j->s[j->len++] = hexd[p[i] & 15];
	}
	j->s[j->len++] = '"';
	j->s[j->len] = '\0';
}

static void open_nested(struct jbuf *j, const char *c)
{
	sep(j);
	j_raw(j, c, 1);
	if (j->depth + 1 < JBUF_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = 1;
}

void j_obj_begin(struct jbuf *j) { open_nested(j, "{"); }
void j_arr_begin(struct jbuf *j) { open_nested(j, "["); }

void j_obj_end(struct jbuf *j)
{
	j_raw(j, "}", 1);
	if (j->depth > 0)
		j->depth--;
}

void j_arr_end(struct jbuf *j)
{
	j_raw(j, "]", 1);
	if (j->depth > 0)
		j->depth--;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_decode(const char *hex, uint8_t **out, size_t *out_len)
{
	size_t n = strlen(hex);
	if (n % 2)
		return -1;
	uint8_t *b = malloc(n / 2 + 1);
	if (!b)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(b);
			return -1;
		}
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = b;
	*out_len = n / 2;
	return 0;
}

int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
