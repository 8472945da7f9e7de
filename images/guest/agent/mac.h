// HMAC-SHA256 of the agent's frames, keyed in the kernel (AF_ALG), so the agent's memory never keeps the key.
#ifndef OPSLAB_MAC_H
#define OPSLAB_MAC_H

#include <stddef.h>

#define MAC_KEY_BYTES 32
#define MAC_HEX_CHARS 64

/** A keyed hmac(sha256) transform (tfm) and one operation socket on it (op); -1 when not open. */
struct mac {
  int tfm, op;
};

/** Opens a transform keyed with key: 0, or an error number (ENOENT: the kernel lacks algif_hash or hmac,
 * EAFNOSUPPORT: it lacks AF_ALG). NOTE: the kernel keeps the key; the caller wipes its own copy. */
int mac_open(const unsigned char *key, size_t n, struct mac *out);
/** Opens an unkeyed sha256 transform, for the digest of each request a reply answers: 0 or an error number. */
int digest_open(struct mac *out);
/** The MAC (or digest) of data as 64 lowercase hex digits and a NUL: 0, or -1 with errno. Not thread-safe per mac. */
int mac_hex(const struct mac *m, const void *data, size_t n, char hex[MAC_HEX_CHARS + 1]);
void mac_close(struct mac *m);

#endif
