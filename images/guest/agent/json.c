// JSON and base64 for the OpsLab guest agent: a strict parser that keeps each value's raw text, an encoder.
#include "json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 512 /* nesting deeper than this is refused (the threads' stacks are small) */

static void buf_reserve(struct buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) abort(); /* out of memory: systemd restarts the agent */
  b->p = p;
  b->cap = cap;
}

void buf_put(struct buf *b, const void *data, size_t n) {
  buf_reserve(b, n);
  if (n) memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_printf(struct buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  buf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void buf_free(struct buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

/** Length of the well-formed UTF-8 sequence at p (as Python's strict decoder accepts it), or 0. */
static size_t utf8_length(const unsigned char *p, const unsigned char *end) {
  unsigned c = p[0];
  size_t avail = (size_t)(end - p);
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return avail >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (avail < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80) return 0;
    if (c == 0xe0 && p[1] < 0xa0) return 0; /* overlong */
    if (c == 0xed && p[1] >= 0xa0) return 0; /* a surrogate */
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (avail < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80) return 0;
    if (c == 0xf0 && p[1] < 0x90) return 0; /* overlong */
    if (c == 0xf4 && p[1] >= 0x90) return 0; /* beyond U+10FFFF */
    return 4;
  }
  return 0;
}

void buf_json_string(struct buf *b, const char *data, size_t n) {
  const unsigned char *p = (const unsigned char *)data, *end = p + n;
  buf_reserve(b, n + 2);
  buf_put(b, "\"", 1);
  while (p < end) {
    const unsigned char *run = p; /* bytes that go out as they are */
    while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) p++;
    buf_put(b, run, (size_t)(p - run));
    if (p == end) break;
    unsigned c = *p;
    if (c >= 0x80) {
      size_t len = utf8_length(p, end);
      if (len) {
        buf_put(b, p, len);
        p += len;
      } else {
        buf_printf(b, "\\udc%02x", c);
        p++;
      }
      continue;
    }
    p++;
    switch (c) {
    case '"': buf_put(b, "\\\"", 2); break;
    case '\\': buf_put(b, "\\\\", 2); break;
    case '\n': buf_put(b, "\\n", 2); break;
    case '\r': buf_put(b, "\\r", 2); break;
    case '\t': buf_put(b, "\\t", 2); break;
    case '\b': buf_put(b, "\\b", 2); break;
    case '\f': buf_put(b, "\\f", 2); break;
    default: buf_printf(b, "\\u%04x", c);
    }
  }
  buf_put(b, "\"", 1);
}

static const char BASE64_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void buf_base64(struct buf *b, const void *data, size_t n) {
  const unsigned char *p = data;
  buf_reserve(b, (n + 2) / 3 * 4);
  char *out = b->p + b->len;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
    *out++ = BASE64_ALPHABET[v >> 18];
    *out++ = BASE64_ALPHABET[(v >> 12) & 63];
    *out++ = BASE64_ALPHABET[(v >> 6) & 63];
    *out++ = BASE64_ALPHABET[v & 63];
  }
  if (i < n) {
    uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
    *out++ = BASE64_ALPHABET[v >> 18];
    *out++ = BASE64_ALPHABET[(v >> 12) & 63];
    *out++ = i + 1 < n ? BASE64_ALPHABET[(v >> 6) & 63] : '=';
    *out++ = '=';
  }
  b->len = (size_t)(out - b->p);
  b->p[b->len] = 0;
}

/** The value of a base64 character, or -1 for one outside the alphabet. */
static int base64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int base64_decode(const char *text, size_t n, struct buf *out) {
  buf_reserve(out, n / 4 * 3 + 3);
  unsigned char *o = (unsigned char *)out->p + out->len;
  uint32_t acc = 0;
  size_t chars = 0, pads = 0;
  for (size_t i = 0; i < n; i++) {
    int v = base64_value((unsigned char)text[i]);
    if (v < 0) {
      pads += text[i] == '=';
      continue;
    }
    acc = acc << 6 | (uint32_t)v;
    if (++chars % 4 == 0) {
      *o++ = (unsigned char)(acc >> 16);
      *o++ = (unsigned char)(acc >> 8);
      *o++ = (unsigned char)acc;
      acc = 0;
    }
  }
  size_t rest = chars % 4;
  if (rest == 1 || (rest && pads < 4 - rest)) return -1;
  if (rest == 2) *o++ = (unsigned char)(acc >> 4);
  if (rest == 3) {
    *o++ = (unsigned char)(acc >> 10);
    *o++ = (unsigned char)(acc >> 2);
  }
  out->len = (size_t)((char *)o - out->p);
  out->p[out->len] = 0;
  return 0;
}

/* ---- parsing: skip_* return the end of a valid value, or NULL ---- */

static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

static int hex4(const char *p, const char *end, unsigned *out) {
  if (end - p < 4) return 0;
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

static const char *skip_string(const char *p, const char *end) {
  p++; /* the opening quote */
  while (p < end) {
    unsigned char c = (unsigned char)*p;
    if (c == '"') return p + 1;
    if (c < 0x20) return NULL;
    if (c == '\\') {
      if (p + 1 >= end) return NULL;
      unsigned u;
      switch (p[1]) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': p += 2; break;
      case 'u':
        if (!hex4(p + 2, end, &u)) return NULL;
        p += 6;
        break;
      default: return NULL;
      }
    } else if (c >= 0x80) {
      size_t len = utf8_length((const unsigned char *)p, (const unsigned char *)end);
      if (!len) return NULL;
      p += len;
    } else {
      p++;
    }
  }
  return NULL;
}

static const char *skip_digits(const char *p, const char *end) {
  const char *start = p;
  while (p < end && *p >= '0' && *p <= '9') p++;
  return p > start ? p : NULL;
}

static const char *skip_number(const char *p, const char *end) {
  if (p < end && *p == '-') p++;
  if (p < end && *p == '0') p++;
  else if (!(p = skip_digits(p, end))) return NULL;
  if (p < end && *p == '.' && !(p = skip_digits(p + 1, end))) return NULL;
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) p++;
    if (!(p = skip_digits(p, end))) return NULL;
  }
  return p;
}

static const char *skip_word(const char *p, const char *end, const char *word) {
  size_t n = strlen(word);
  return (size_t)(end - p) >= n && !memcmp(p, word, n) ? p + n : NULL;
}

static const char *skip_value(const char *p, const char *end, int depth) {
  p = skip_ws(p, end);
  if (p >= end || depth > MAX_DEPTH) return NULL;
  switch (*p) {
  case '"': return skip_string(p, end);
  case 't': return skip_word(p, end, "true");
  case 'f': return skip_word(p, end, "false");
  case 'n': return skip_word(p, end, "null");
  case '[':
  case '{': {
    char close = *p == '[' ? ']' : '}';
    p = skip_ws(p + 1, end);
    if (p < end && *p == close) return p + 1;
    for (;;) {
      if (close == '}') {
        p = skip_ws(p, end);
        if (p >= end || *p != '"' || !(p = skip_string(p, end))) return NULL;
        p = skip_ws(p, end);
        if (p >= end || *p != ':') return NULL;
        p++;
      }
      if (!(p = skip_value(p, end, depth + 1))) return NULL;
      p = skip_ws(p, end);
      if (p >= end) return NULL;
      if (*p == close) return p + 1;
      if (*p != ',') return NULL;
      p++;
    }
  }
  default: return skip_number(p, end);
  }
}

int json_valid(const char *text, size_t n) {
  const char *end = text + n, *p = skip_value(text, end, 0);
  return p && skip_ws(p, end) == end;
}

struct jval json_trim(const char *text, size_t n) {
  const char *start = skip_ws(text, text + n);
  struct jval v = {start, 0};
  v.n = (size_t)(skip_value(start, text + n, 0) - start);
  return v;
}

char json_kind(struct jval v) {
  if (!v.p || !v.n) return 0;
  return (*v.p == '-' || (*v.p >= '0' && *v.p <= '9')) ? '0' : *v.p;
}

int json_next_member(struct jval obj, const char **pos, struct jval *key, struct jval *value) {
  const char *end = obj.p + obj.n, *p = *pos ? *pos : obj.p + 1;
  if (json_kind(obj) != '{') return 0;
  p = skip_ws(p, end);
  if (*p == ',') p = skip_ws(p + 1, end);
  if (*p != '"') return 0; /* the closing brace */
  key->p = p;
  p = skip_string(p, end);
  key->n = (size_t)(p - key->p);
  p = skip_ws(skip_ws(p, end) + 1, end); /* past the colon */
  value->p = p;
  p = skip_value(p, end, 0);
  value->n = (size_t)(p - value->p);
  *pos = p;
  return 1;
}

struct jval json_get(struct jval v, const char *key) {
  struct jval found = {NULL, 0}, k, value;
  const char *pos = NULL;
  size_t want = strlen(key);
  while (json_next_member(v, &pos, &k, &value)) {
    /* Most keys have no escapes: compare the raw text first, decode only when it has a backslash. */
    if (k.n == want + 2 && !memcmp(k.p + 1, key, want)) {
      found = value;
    } else if (memchr(k.p, '\\', k.n)) {
      size_t len;
      char *name = json_string(k, &len);
      if (len == want && !memcmp(name, key, want)) found = value;
      free(name);
    }
  }
  return found;
}

/** Appends code point cp as UTF-8 (a lone surrogate as its 3-byte form, which is not UTF-8). */
static unsigned char *put_utf8(unsigned char *o, unsigned cp) {
  if (cp < 0x80) {
    *o++ = (unsigned char)cp;
  } else if (cp < 0x800) {
    *o++ = (unsigned char)(0xc0 | cp >> 6);
    *o++ = (unsigned char)(0x80 | (cp & 63));
  } else if (cp < 0x10000) {
    *o++ = (unsigned char)(0xe0 | cp >> 12);
    *o++ = (unsigned char)(0x80 | ((cp >> 6) & 63));
    *o++ = (unsigned char)(0x80 | (cp & 63));
  } else {
    *o++ = (unsigned char)(0xf0 | cp >> 18);
    *o++ = (unsigned char)(0x80 | ((cp >> 12) & 63));
    *o++ = (unsigned char)(0x80 | ((cp >> 6) & 63));
    *o++ = (unsigned char)(0x80 | (cp & 63));
  }
  return o;
}

char *json_string(struct jval v, size_t *len) {
  if (json_kind(v) != '"') return NULL;
  const char *p = v.p + 1, *end = v.p + v.n - 1;
  unsigned char *out = malloc(v.n + 1), *o = out; /* escapes never decode longer than they are */
  if (!out) abort();
  while (p < end) {
    if (*p != '\\') {
      *o++ = (unsigned char)*p++;
      continue;
    }
    char c = p[1];
    p += 2;
    switch (c) {
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case 'u': {
      unsigned cp, low;
      hex4(p, end, &cp);
      p += 4;
      if (cp >= 0xd800 && cp < 0xdc00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, end, &low) &&
          low >= 0xdc00 && low < 0xe000) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        p += 6;
      }
      if (cp >= 0xdc80 && cp <= 0xdcff) *o++ = (unsigned char)(cp - 0xdc00); /* surrogateescape */
      else o = put_utf8(o, cp);
      break;
    }
    default: *o++ = (unsigned char)c; /* " \ / */
    }
  }
  *o = 0;
  *len = (size_t)(o - out);
  return (char *)out;
}

int json_number(struct jval v, double *out) {
  if (json_kind(v) != '0') return 0;
  *out = strtod(v.p, NULL); /* NOTE: the C locale: the agent never calls setlocale */
  return 1;
}

int json_truthy(struct jval v) {
  double d;
  switch (json_kind(v)) {
  case 't': return 1;
  case '"': return v.n > 2;
  case '[':
  case '{': return *skip_ws(v.p + 1, v.p + v.n) != (*v.p == '[' ? ']' : '}');
  case '0': return json_number(v, &d) && d != 0;
  default: return 0;
  }
}
