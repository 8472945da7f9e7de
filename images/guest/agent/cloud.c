// cloud: the command line of OpsLab's simulated cloud. Parsing, checks and output happen host-side
// (src/cloud/cli/); this program sends its arguments and the caller's credentials over the guest agent's
// host socket (see opslab-agent.c, "Host calls") and prints the answer with its exit code.
// NOTE: C, not Python: a cloud task's solution makes 15 to 25 calls and its graders' jobs more, and
// python3's start alone took 0.4 to 0.6 s of each in the emulator; this one starts in a few milliseconds.
// It does what the Python program it replaces did, byte for byte on the wire's meaning:
//   - `--profile NAME` or `--profile=NAME` (its first occurrence) is taken out of the arguments; else
//     $CLOUD_PROFILE, else "default";
//   - ~/.cloud/credentials and ~/.cloud/config are INI files ("[name]" or "[profile name]" sections,
//     key = value lines, # and ; comments); CLOUD_ACCESS_KEY_ID, CLOUD_SECRET_ACCESS_KEY, CLOUD_ROLE and
//     CLOUD_REGION win over them when set and not empty;
//   - an unreachable control plane or a refused call exits 255 with "cloud: ..." on stderr.
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "json.h"

#define HOST_SOCKET "/run/opslab/host.sock"
#define TIMEOUT_S 70
#define CHANNEL_EXIT_CODE 255
#define MAX_KEYS 64

/** One section's keys of an INI file, the last value of a key winning. */
struct section {
  int n;
  char *keys[MAX_KEYS], *values[MAX_KEYS];
};

static char *strip(char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v') s++;
  char *end = s + strlen(s);
  while (end > s && strchr(" \t\r\f\v", end[-1])) *--end = 0;
  return s;
}

static void section_set(struct section *sec, const char *key, const char *value) {
  for (int i = 0; i < sec->n; i++) {
    if (!strcmp(sec->keys[i], key)) {
      free(sec->values[i]);
      sec->values[i] = strdup(value);
      return;
    }
  }
  if (sec->n == MAX_KEYS) return;
  sec->keys[sec->n] = strdup(key);
  sec->values[sec->n++] = strdup(value);
}

static const char *section_get(const struct section *sec, const char *key) {
  for (int i = 0; i < sec->n; i++)
    if (!strcmp(sec->keys[i], key)) return sec->values[i];
  return NULL;
}

/** The keys of section `wanted` of an INI file (all its sections of that name); empty when unreadable. */
static void read_ini(const char *path, const char *wanted, struct section *out) {
  FILE *f = fopen(path, "r");
  if (!f) return;
  char *line = NULL;
  size_t cap = 0;
  int in_wanted = 0, in_any = 0;
  while (getline(&line, &cap, f) >= 0) {
    line[strcspn(line, "\n")] = 0;
    char *s = strip(line);
    if (!*s || *s == '#' || *s == ';') continue;
    size_t n = strlen(s);
    if (s[0] == '[' && s[n - 1] == ']') {
      s[n - 1] = 0;
      char *name = strip(s + 1);
      if (!strncmp(name, "profile ", 8)) name = strip(name + 8);
      in_any = 1;
      in_wanted = !strcmp(name, wanted);
    } else if (in_any && in_wanted && strchr(s, '=')) {
      char *eq = strchr(s, '=');
      *eq = 0;
      section_set(out, strip(s), strip(eq + 1));
    }
  }
  free(line);
  fclose(f);
}

/** `a` when it is set and not empty, else `b` (Python's `a or b`). */
static const char *first_set(const char *a, const char *b) { return a && *a ? a : b; }

/** The environment variable's value when set and not empty, else `fallback`. */
static const char *env_or(const char *name, const char *fallback) { return first_set(getenv(name), fallback); }

static void put_member(struct buf *b, const char *key, const char *value) {
  buf_printf(b, ",\"%s\":", key);
  buf_json_string(b, value, strlen(value));
}

/** The request line: {"service": "cloud", "body": {profile, credentials?, role?, region?, argv}}. */
static void build_request(struct buf *b, int argc, char **argv) {
  const char *profile = NULL;
  int skip = -1, skip_n = 0;
  for (int i = 1; i < argc && !profile; i++) {
    if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
      profile = argv[i + 1];
      skip = i, skip_n = 2;
    } else if (!strncmp(argv[i], "--profile=", 10)) {
      profile = argv[i] + 10;
      skip = i, skip_n = 1;
    }
  }
  profile = first_set(profile, env_or("CLOUD_PROFILE", "default"));

  const char *home = getenv("HOME");
  if (!home || !*home) {
    struct passwd *pw = getpwuid(getuid());
    home = pw ? pw->pw_dir : "/";
  }
  struct section creds = {0}, config = {0};
  char path[4096];
  snprintf(path, sizeof path, "%s/.cloud/credentials", home);
  read_ini(path, profile, &creds);
  snprintf(path, sizeof path, "%s/.cloud/config", home);
  read_ini(path, profile, &config);

  buf_puts(b, "{\"service\":\"cloud\",\"body\":{\"profile\":");
  buf_json_string(b, profile, strlen(profile));
  const char *key = env_or("CLOUD_ACCESS_KEY_ID", section_get(&creds, "access_key_id"));
  const char *secret = env_or("CLOUD_SECRET_ACCESS_KEY", section_get(&creds, "secret_access_key"));
  if (key && *key) {
    buf_puts(b, ",\"credentials\":{\"accessKeyId\":");
    buf_json_string(b, key, strlen(key));
    buf_puts(b, ",\"secretAccessKey\":");
    buf_json_string(b, secret ? secret : "", secret ? strlen(secret) : 0);
    buf_puts(b, "}");
  }
  const char *role = env_or("CLOUD_ROLE", first_set(section_get(&config, "role"), section_get(&creds, "role")));
  if (role && *role) put_member(b, "role", role);
  const char *region = env_or("CLOUD_REGION", section_get(&config, "region"));
  if (region && *region) put_member(b, "region", region);
  buf_puts(b, ",\"argv\":[");
  int first = 1;
  for (int i = 1; i < argc; i++) {
    if (i >= skip && i < skip + skip_n) continue;
    if (!first) buf_puts(b, ",");
    buf_json_string(b, argv[i], strlen(argv[i]));
    first = 0;
  }
  buf_puts(b, "]}}\n");
}

static int unreachable(const char *why) {
  fprintf(stderr, "cloud: cannot reach the cloud control plane (%s)\n", why);
  return CHANNEL_EXIT_CODE;
}

/** Sends the request, reads the one-line answer into `reply`; 0, or the exit code after saying why not. */
static int call_host(const struct buf *request, struct buf *reply) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return unreachable(strerror(errno));
  struct timeval timeout = {.tv_sec = TIMEOUT_S};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, HOST_SOCKET);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr)) {
    int code = unreachable(strerror(errno));
    close(fd);
    return code;
  }
  for (size_t sent = 0; sent < request->len;) {
    ssize_t n = send(fd, request->p + sent, request->len - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int code = unreachable(n < 0 ? strerror(errno) : "connection closed");
      close(fd);
      return code;
    }
    sent += (size_t)n;
  }
  char chunk[65536];
  while (!reply->len || reply->p[reply->len - 1] != '\n') {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int code = unreachable(errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : strerror(errno));
      close(fd);
      return code;
    }
    if (n == 0) break;
    buf_put(reply, chunk, (size_t)n);
  }
  close(fd);
  return 0;
}

/** Writes a JSON string value's bytes to `out` (nothing when it is absent or not a string). */
static void write_string(FILE *out, struct jval v) {
  size_t n;
  char *s = json_string(v, &n);
  if (!s) return;
  fwrite(s, 1, n, out);
  free(s);
}

int main(int argc, char **argv) {
  struct buf request = {0}, reply = {0};
  build_request(&request, argc, argv);
  int code = call_host(&request, &reply);
  if (code) return code;
  if (!reply.len || !json_valid(reply.p, reply.len)) return unreachable("its answer was not JSON");
  struct jval answer = json_trim(reply.p, reply.len);
  if (json_kind(answer) != '{') return unreachable("its answer was not an object");
  if (!json_truthy(json_get(answer, "ok"))) {
    fputs("cloud: ", stderr);
    struct jval error = json_get(answer, "error");
    if (json_kind(error) == '"')
      write_string(stderr, error);
    else
      fputs("the host refused the call", stderr);
    fputs("\n", stderr);
    return CHANNEL_EXIT_CODE;
  }
  struct jval body = json_get(answer, "body");
  write_string(stdout, json_get(body, "stdout"));
  fflush(stdout);
  write_string(stderr, json_get(body, "stderr"));
  double exit_code;
  if (!json_number(json_get(body, "exitCode"), &exit_code)) return CHANNEL_EXIT_CODE;
  return (int)exit_code & 0xff;
}
