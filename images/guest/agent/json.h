// JSON and base64 for the OpsLab guest agent: a strict parser that keeps each value's raw text, an encoder.
#ifndef OPSLAB_JSON_H
#define OPSLAB_JSON_H

#include <stddef.h>

/** A growing byte buffer (always NUL-terminated once something was put in it). */
struct buf {
  char *p;
  size_t len, cap;
};

void buf_put(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Bytes as a quoted JSON string. NOTE: bytes that are not UTF-8 become \udc80..\udcff, as Python's
 * surrogateescape did, and json_string() turns those escapes back into the same bytes. */
void buf_json_string(struct buf *b, const char *data, size_t n);
void buf_base64(struct buf *b, const void *data, size_t n);
void buf_free(struct buf *b);

/** Base64 (standard alphabet) to bytes; characters outside the alphabet are skipped as Python's
 * b64decode did. Returns 0, or -1 when the padding is wrong. */
int base64_decode(const char *text, size_t n, struct buf *out);

/** One JSON value as its raw text; p == NULL when absent. */
struct jval {
  const char *p;
  size_t n;
};

/** 1 when text is exactly one JSON value (surrounding whitespace allowed) in strict UTF-8. */
int json_valid(const char *text, size_t n);
/** The value without its surrounding whitespace. Callers pass only validated text from here on. */
struct jval json_trim(const char *text, size_t n);
/** The value of key in an object (the last one, as Python kept); absent when v is not an object. */
struct jval json_get(struct jval v, const char *key);
/** '{', '[', '"', 't', 'f', 'n' (null), '0' (number), or 0 when absent. */
char json_kind(struct jval v);
/** A string value's bytes (malloc'ed, NUL-terminated, *len without the NUL); NULL when not a string. */
char *json_string(struct jval v, size_t *len);
/** A number value; 0 when v is not a number. */
int json_number(struct jval v, double *out);
/** Python's truthiness of the value: false for absent, null, false, 0, "", [] and {}. */
int json_truthy(struct jval v);
/** Iterates an object's members: pass *pos = NULL first; returns 0 at the end. */
int json_next_member(struct jval obj, const char **pos, struct jval *key, struct jval *value);

#endif
