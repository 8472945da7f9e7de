// HMAC-SHA256 of the agent's frames through the kernel's crypto API (AF_ALG), keyed with ALG_SET_KEY.
#define _GNU_SOURCE
#include "mac.h"

#include <errno.h>
#include <linux/if_alg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif
#define DIGEST_BYTES 32

/** A transform of the named hash, keyed when key is not NULL, and one operation socket on it. */
static int hash_open(const char *name, const unsigned char *key, size_t n, struct mac *out) {
  struct sockaddr_alg addr = {.salg_family = AF_ALG, .salg_type = "hash"};
  strncpy((char *)addr.salg_name, name, sizeof addr.salg_name - 1);
  int error = 0, tfm = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), op = -1;
  if (tfm < 0 || bind(tfm, (struct sockaddr *)&addr, sizeof addr) ||
      (key && setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, (socklen_t)n)) ||
      (op = accept4(tfm, NULL, 0, SOCK_CLOEXEC)) < 0)
    error = errno;
  if (error) {
    if (tfm >= 0) close(tfm);
    return error;
  }
  out->tfm = tfm;
  out->op = op;
  return 0;
}

int mac_open(const unsigned char *key, size_t n, struct mac *out) { return hash_open("hmac(sha256)", key, n, out); }

int digest_open(struct mac *out) { return hash_open("sha256", NULL, 0, out); }

int mac_hex(const struct mac *m, const void *data, size_t n, char hex[MAC_HEX_CHARS + 1]) {
  const char *p = data;
  /* MSG_MORE: the digest is finished by the read, however many sends the data took. */
  while (n) {
    ssize_t sent = send(m->op, p, n, MSG_MORE);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return -1;
    p += sent;
    n -= (size_t)sent;
  }
  unsigned char digest[DIGEST_BYTES];
  ssize_t got;
  while ((got = read(m->op, digest, sizeof digest)) < 0 && errno == EINTR) {
  }
  if (got != DIGEST_BYTES) return -1;
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < DIGEST_BYTES; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  hex[MAC_HEX_CHARS] = 0;
  return 0;
}

void mac_close(struct mac *m) {
  if (m->op >= 0) close(m->op);
  if (m->tfm >= 0) close(m->tfm);
  m->op = m->tfm = -1;
}
