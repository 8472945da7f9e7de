// OpsLab guest agent: runs the host's commands from the second serial port (ttyS1) with exact results.
//
// Wire format, protocol 2 (see src/vm/protocol.ts for the host side): one frame per line,
// "@@OPSLAB " + base64(JSON) [+ " " + hex HMAC-SHA256 of the JSON] + "\n".
// Host -> guest (never MAC'ed): {"id", "op": "key"|"exec"|"cancel"|"kill-session"|"sync"|"write"|"read"|"ping"|
// "host-reply", ...}. Guest -> host: {"id", "ok", "request", ...} replies (request: the SHA-256 of the JSON of the
// request answered), {"t": "host-call"} and {"t": "bad-frame"}, each MAC'ed once the host has sent its key;
// {"t": "hello"} when the agent starts, never MAC'ed (no key yet).
// NOTE: the key lives in the kernel (an AF_ALG hmac(sha256) socket); the agent wipes its own copies at once, so
// a process that reads the agent's memory finds no key, and a frame forged on ttyS1 carries no valid MAC.
// Host calls (guest programs asking the host, e.g. the `cloud` CLI): a program connects to HOST_SOCKET and
// writes one JSON line {"service", "body"}; the agent sends {"t": "host-call", "id", "service", "body"},
// the host answers {"op": "host-reply", "id", "ok", "body"|"error"}, and the agent writes that back as one line.
//
// Each request runs in a thread of its own (an exec may last minutes while others come and go); the main
// thread only reads the tty (and sets the key, so that every later reply carries the new MAC). Errors go back
// as {"id", "ok": false, "error": "<Class>: message"} with the class names the Python agent this replaces used
// (FileNotFoundError, KeyError, ...).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "mac.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define PROTOCOL_VERSION 2
#define FRAME_PREFIX "@@OPSLAB "
#define DEFAULT_DEVICE "/dev/ttyS1"
#ifndef STATE_DIR /* both overridable only for a test build on a host */
#define STATE_DIR "/run/opslab"
#endif
#define DEFAULT_MAX_OUTPUT_BYTES (64 * 1024)
#define DEFAULT_TIMEOUT_MS 60000
#define EXIT_GRACE_MS 50 /* output still buffered when the shell exits */
#define NO_PIDFD_POLL_MS 50 /* how often the shell's exit is checked when pidfd_open is missing */
#define TIMED_OUT_EXIT_CODE 124
#define CANCELLED_EXIT_CODE 130 /* as a shell reports a command ended by Ctrl+C */
#ifndef COMMANDS_CGROUP
#define COMMANDS_CGROUP "/sys/fs/cgroup/opslab-commands"
#endif
#define COMMAND_MAX_PROCESSES 512 /* per command: a fork bomb stops here */
#define ALL_COMMANDS_MAX_PROCESSES 2048
#define CGROUP_KILL_TRIES 50
#define CGROUP_KILL_WAIT_MS 20
#define SESSION_KILL_TRIES 100 /* kill-session gives up after about 2 s and says what is left */
#define WARM_SHELL_WAIT_MS 2000
#define HOST_SOCKET STATE_DIR "/host.sock"
#define HOST_CALL_TIMEOUT_S 60
#define MAX_HOST_CALLS 8 /* in flight at once; a further connection is refused at once */
#define HOST_CALL_REQUEST_MS 10000 /* a connection must send its request line within this */
#define MAX_HOST_CALL_BYTES (1024 * 1024)
#define DEFAULT_READ_BYTES (256 * 1024)
#define MAX_STATE_BYTES (4 * 1024 * 1024) /* a shell's saved directory and variables */
#define READ_CHUNK_BYTES 65536
#define THREAD_STACK_BYTES (256 * 1024)

static const char *const BASE_ENV[] = {
    "HOME=/root",
    "USER=root",
    "LOGNAME=root",
    "SHELL=/bin/bash",
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG=C.UTF-8",
    "TERM=dumb",
    "PAGER=cat",
    "SYSTEMD_PAGER=cat",
    "SYSTEMD_COLORS=0",
    "DEBIAN_FRONTEND=noninteractive",
};
/* Variables that describe one shell process rather than the session. */
static const char *const VOLATILE_ENV[] = {"_", "SHLVL", "OLDPWD"};
/* The wrapper waits for the command (a shell is started ahead of time, so a command does not wait for bash
 * to load), then saves the shell's directory and exported variables whatever way the command ends.
 * NOTE: no file another process could swap: the command comes on fd 3 and the state goes out on fd 4, memfds
 * the agent made for this shell alone (see start_shell). Only shell builtins here, so a command costs one
 * process. The shell is already in its command's cgroup: it joined before its execve (see spawn_shell). */
static const char WRAPPER[] =
    "\n"
    "echo 0 > /proc/self/oom_score_adj 2>/dev/null\n"
    "IFS= read -r __opslab_go || exit 0\n"
    "IFS= read -r -d '' -u 3 __opslab_command\n"
    "exec 3<&- < /dev/null\n"
    "trap '__opslab_rc=$?; { printf \"%s\\0\" \"$PWD\"; for __opslab_n in $(compgen -e); do printf "
    "\"%s=%s\\0\" \"$__opslab_n\" \"${!__opslab_n}\"; done; } >&4 2>/dev/null; exit "
    "$__opslab_rc' EXIT\n"
    "unset __opslab_go\n"
    "eval \"$__opslab_command\"\n";

/* ---- small helpers ---- */

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
  while (nanosleep(&ts, &ts) && errno == EINTR) {
  }
}

static char *xstrdup(const char *s) {
  char *copy = strdup(s);
  if (!copy) abort();
  return copy;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...) {
  va_list ap;
  char *s;
  va_start(ap, fmt);
  if (vasprintf(&s, fmt, ap) < 0) abort();
  va_end(ap);
  return s;
}

/** An OSError as Python worded it: "FileNotFoundError: [Errno 2] No such file or directory: '/x'". */
static char *os_error(int err, const char *path) {
  const char *cls = "OSError";
  switch (err) {
  case ENOENT: cls = "FileNotFoundError"; break;
  case EEXIST: cls = "FileExistsError"; break;
  case EISDIR: cls = "IsADirectoryError"; break;
  case ENOTDIR: cls = "NotADirectoryError"; break;
  case EACCES:
  case EPERM: cls = "PermissionError"; break;
  case EAGAIN: cls = "BlockingIOError"; break;
  case ECHILD: cls = "ChildProcessError"; break;
  case EINTR: cls = "InterruptedError"; break;
  case ESRCH: cls = "ProcessLookupError"; break;
  case ETIMEDOUT: cls = "TimeoutError"; break;
  }
  if (path) return xasprintf("%s: [Errno %d] %s: '%s'", cls, err, strerror(err), path);
  return xasprintf("%s: [Errno %d] %s", cls, err, strerror(err));
}

static int write_all(int fd, const char *data, size_t n) {
  while (n) {
    ssize_t w = write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd pfd = {fd, POLLOUT, 0};
        poll(&pfd, 1, -1);
        continue;
      }
      return -1;
    }
    data += w;
    n -= (size_t)w;
  }
  return 0;
}

/** Writes text to a (cgroup) file; 0 or -1 with errno. */
static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  int rc = write_all(fd, text, strlen(text));
  int saved = errno;
  close(fd);
  errno = saved;
  return rc;
}

/** A whole file into out; 0 or -1 with errno. */
static int read_file(const char *path, struct buf *out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char chunk[4096];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      close(fd);
      errno = saved;
      return -1;
    }
    buf_put(out, chunk, (size_t)n);
  }
  close(fd);
  return 0;
}

static int is_dir(const char *path) {
  struct stat st;
  return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/** Starts a detached thread with a small stack; 0 or an error number. */
static int start_thread(void *(*fn)(void *), void *arg) {
  pthread_attr_t attr;
  pthread_t thread;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES);
  int rc = pthread_create(&thread, &attr, fn, arg);
  pthread_attr_destroy(&attr);
  return rc;
}

/** A condition variable whose timed waits use the monotonic clock. */
static void cond_init(pthread_cond_t *cond) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(cond, &attr);
  pthread_condattr_destroy(&attr);
}

static struct timespec deadline_after_ms(int64_t ms) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ts.tv_sec += (time_t)(ms / 1000);
  ts.tv_nsec += (long)(ms % 1000) * 1000000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  return ts;
}

/* ---- environments: "KEY=VALUE" strings in insertion order ---- */

struct env {
  char **kv;
  size_t n, cap;
};

static size_t env_key_length(const char *kv) { return (size_t)(strchrnul(kv, '=') - kv); }

static ssize_t env_find(const struct env *env, const char *key, size_t key_length) {
  for (size_t i = 0; i < env->n; i++)
    if (env_key_length(env->kv[i]) == key_length && !memcmp(env->kv[i], key, key_length)) return (ssize_t)i;
  return -1;
}

/** Sets one variable from "KEY=VALUE" (taken over), replacing an earlier value in place. */
static void env_put(struct env *env, char *kv) {
  ssize_t i = env_find(env, kv, env_key_length(kv));
  if (i >= 0) {
    free(env->kv[i]);
    env->kv[i] = kv;
    return;
  }
  if (env->n + 2 > env->cap) { /* room for the NULL that execve needs */
    env->cap = env->cap ? env->cap * 2 : 32;
    env->kv = realloc(env->kv, env->cap * sizeof *env->kv);
    if (!env->kv) abort();
  }
  env->kv[env->n++] = kv;
  env->kv[env->n] = NULL;
}

static void env_copy(struct env *to, const struct env *from) {
  for (size_t i = 0; i < from->n; i++) env_put(to, xstrdup(from->kv[i]));
}

static void env_free(struct env *env) {
  for (size_t i = 0; i < env->n; i++) free(env->kv[i]);
  free(env->kv);
  env->kv = NULL;
  env->n = env->cap = 0;
}

/** The same variables with the same values, in any order (Python's dict equality). */
static int env_equal(const struct env *a, const struct env *b) {
  if (a->n != b->n) return 0;
  for (size_t i = 0; i < a->n; i++) {
    ssize_t j = env_find(b, a->kv[i], env_key_length(a->kv[i]));
    if (j < 0 || strcmp(a->kv[i], b->kv[j])) return 0;
  }
  return 1;
}

/* ---- the frames to the host ---- */

static int tty_fd = -1;
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mac frame_mac = {-1, -1}; /* under write_lock; -1 until the host sends its key */

/** Sends one JSON text as a frame, MAC'ed once keyed. Called with write_lock held. */
static void send_json_locked(const struct buf *json) {
  struct buf line = {0};
  char mac[MAC_HEX_CHARS + 1];
  buf_puts(&line, FRAME_PREFIX);
  buf_base64(&line, json->p, json->len);
  /* NOTE: a frame whose MAC failed goes out without one: the host records it, and nothing is hidden. */
  if (frame_mac.op >= 0 && !mac_hex(&frame_mac, json->p, json->len, mac)) {
    buf_put(&line, " ", 1);
    buf_put(&line, mac, MAC_HEX_CHARS);
  }
  buf_put(&line, "\n", 1);
  write_all(tty_fd, line.p, line.len);
  buf_free(&line);
}

static void send_json(const struct buf *json) {
  pthread_mutex_lock(&write_lock);
  send_json_locked(json);
  pthread_mutex_unlock(&write_lock);
}

/** The start of a reply: {"id":..,"ok":..,"request":"<SHA-256 of the request's JSON>" (no closing brace).
 * NOTE: the digest ties the reply to the very request it answers: a request injected on ttyS1 (TIOCSTI) with the
 * id of one the host sent gets a reply the host can tell apart, although its MAC is genuine. */
static void reply_head(struct buf *json, struct jval id, const char *digest, int ok) {
  buf_puts(json, "{\"id\":");
  if (id.p) buf_put(json, id.p, id.n);
  else buf_puts(json, "null");
  buf_printf(json, ",\"ok\":%s,\"request\":\"%s\"", ok ? "true" : "false", digest);
}

static void send_error(struct jval id, const char *digest, const char *error) {
  struct buf json = {0};
  reply_head(&json, id, digest, 0);
  buf_puts(&json, ",\"error\":");
  buf_json_string(&json, error, strlen(error));
  buf_puts(&json, "}");
  send_json(&json);
  buf_free(&json);
}

/* ---- cgroups: one per session, and in it one per command with its own process cap ---- */

static pthread_mutex_t cgroup_lock = PTHREAD_MUTEX_INITIALIZER;
static int have_cgroups; /* COMMANDS_CGROUP is set up; under cgroup_lock */
/* A byte here tells the cgroup watcher that a command cgroup was made (it then watches that one too). */
static int cgroups_changed[2] = {-1, -1};

/* Makes the cgroup under which each session gets a cgroup, and each command one in its session's, with its
 * own process cap. NOTE: it sits beside systemd's slices, not in the agent's service, so a fork bomb that
 * fills a command's pids.max leaves the agent free to answer and to kill it, and the agent can restart.
 * Called with cgroup_lock held. */
static void setup_cgroups(void) {
  struct buf controllers = {0};
  if (read_file("/sys/fs/cgroup/cgroup.subtree_control", &controllers)) return;
  int has_pids = 0;
  for (char *save = NULL, *word = strtok_r(controllers.p, " \n", &save); word; word = strtok_r(NULL, " \n", &save))
    has_pids |= !strcmp(word, "pids");
  buf_free(&controllers);
  if (!has_pids) return;
  char pids_max[16];
  snprintf(pids_max, sizeof pids_max, "%d", ALL_COMMANDS_MAX_PROCESSES);
  if ((mkdir(COMMANDS_CGROUP, 0755) && errno != EEXIST) || write_file(COMMANDS_CGROUP "/pids.max", pids_max) ||
      write_file(COMMANDS_CGROUP "/cgroup.subtree_control", "+pids")) {
    fprintf(stderr, "opslab-agent: no cgroup per command (%s)\n", strerror(errno));
    return;
  }
  have_cgroups = 1;
}

static char *session_cgroup(unsigned session_number) {
  return xasprintf("%s/s-%u", COMMANDS_CGROUP, session_number);
}

/** Calls fn(path, arg) for each child cgroup (a directory) of dir whose name starts with prefix. */
static void each_cgroup(const char *dir, const char *prefix, void (*fn)(const char *, void *), void *arg) {
  DIR *d = opendir(dir);
  if (!d) return;
  for (struct dirent *entry; (entry = readdir(d));) {
    if (entry->d_type != DT_DIR || !strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..") ||
        strncmp(entry->d_name, prefix, strlen(prefix)))
      continue;
    char *path = xasprintf("%s/%s", dir, entry->d_name);
    fn(path, arg);
    free(path);
  }
  closedir(d);
}

static void remove_cgroup(const char *path, void *unused) {
  (void)unused;
  rmdir(path); /* fails while a process is in it */
}

/** Removes the empty cgroups of finished commands, and of sessions with no command left. */
static void remove_session_cgroups(const char *session, void *unused) {
  (void)unused;
  each_cgroup(session, "exec-", remove_cgroup, NULL);
  rmdir(session);
}

/** A new cgroup for shell n of session session_number (malloc'ed path), or NULL when there are no cgroups.
 * NOTE: called with cgroup_lock held, which the caller keeps until the shell has joined the cgroup: this
 * removes every empty cgroup, and the cgroup of a shell that has not joined yet is empty too. */
static char *make_exec_cgroup(unsigned session_number, unsigned n) {
  if (!have_cgroups || !is_dir(COMMANDS_CGROUP)) {
    have_cgroups = 0;
    setup_cgroups();
  }
  if (!have_cgroups) return NULL;
  each_cgroup(COMMANDS_CGROUP, "s-", remove_session_cgroups, NULL);
  char *session = session_cgroup(session_number);
  char *control = xasprintf("%s/cgroup.subtree_control", session);
  /* The session's cgroup holds no process itself, so its children may have their own pids.max. */
  int failed = mkdir(session, 0755) ? errno != EEXIST : write_file(control, "+pids") != 0;
  free(control);
  char *path = xasprintf("%s/exec-%u", session, n), *pids_max = xasprintf("%s/pids.max", path);
  free(session);
  char cap[16];
  snprintf(cap, sizeof cap, "%d", COMMAND_MAX_PROCESSES);
  failed = failed || (mkdir(path, 0755) && errno != EEXIST) || write_file(pids_max, cap);
  free(pids_max);
  if (failed) {
    free(path);
    return NULL;
  }
  if (write(cgroups_changed[1], "+", 1) < 0) { /* full: the watcher has a rescan pending anyway */
  }
  return path;
}

static void kill_cgroup(const char *cgroup) {
  char *kill_file = xasprintf("%s/cgroup.kill", cgroup), *procs_file = xasprintf("%s/cgroup.procs", cgroup);
  for (int i = 0; i < CGROUP_KILL_TRIES; i++) {
    struct buf procs = {0};
    if (write_file(kill_file, "1") || read_file(procs_file, &procs)) break;
    int empty = !procs.p || !procs.p[strspn(procs.p, " \n")];
    buf_free(&procs);
    if (empty) break;
    sleep_ms(CGROUP_KILL_WAIT_MS);
  }
  free(kill_file);
  free(procs_file);
}

/** Adds the processes of a cgroup and of the cgroups below it to *(int *)count. */
static void count_processes(const char *cgroup, void *count) {
  struct buf procs = {0};
  char *procs_file = xasprintf("%s/cgroup.procs", cgroup);
  if (!read_file(procs_file, &procs) && procs.p)
    for (const char *p = procs.p; (p = strchr(p, '\n')); p++) ++*(int *)count;
  buf_free(&procs);
  free(procs_file);
  each_cgroup(cgroup, "", count_processes, count);
}

/** Kills every process in a session's cgroup and below, again until it is empty or the tries run out; returns
 * how many processes are left. */
static int kill_session_cgroup(unsigned session_number) {
  char *cgroup = session_cgroup(session_number);
  char *kill_file = xasprintf("%s/cgroup.kill", cgroup), *events_file = xasprintf("%s/cgroup.events", cgroup);
  for (int i = 0; i < SESSION_KILL_TRIES; i++) {
    struct buf events = {0};
    if (write_file(kill_file, "1") || read_file(events_file, &events)) break; /* no such cgroup: none left */
    int populated = events.p && strstr(events.p, "populated 1");
    buf_free(&events);
    if (!populated) break;
    sleep_ms(CGROUP_KILL_WAIT_MS);
  }
  int left = 0;
  if (is_dir(cgroup)) count_processes(cgroup, &left);
  pthread_mutex_lock(&cgroup_lock);
  remove_session_cgroups(cgroup, NULL);
  pthread_mutex_unlock(&cgroup_lock);
  free(kill_file);
  free(events_file);
  free(cgroup);
  return left;
}

/* ---- shells ---- */

/** A bash running WRAPPER, waiting for "go" on its stdin. */
struct shell {
  pid_t pid;
  int in, out, err;   /* our ends of its pipes, or -1 */
  int command, state; /* memfds: the command for its fd 3 (read-only there), its state from its fd 4 */
  int reaped, status; /* waitpid() has collected it */
  char *cgroup;       /* or NULL */
};

/* Numbers of shells and sessions, for their cgroups' names; main() starts them above any left by an agent
 * that ran before this one (its commands may still be running). */
static unsigned shell_counter, session_counter;

/** The fds a shell starts with (SHELL_FDS of them: stdin, stdout, stderr, then WRAPPER's 3 and 4). */
#define SHELL_FDS 5

/* Starts argv[0] in a session of its own with fds[i] as its fd i, in the cgroup whose cgroup.procs is open as
 * procs_fd (none when -1); 0 or an error number.
 * NOTE: vfork, far cheaper than fork in the emulator; not posix_spawn, whose child would inherit glibc's two
 * internal signals as ignored. The child only makes system calls until its execve; its fd table is its own. */
static __attribute__((noinline)) int spawn_shell(pid_t *pid, char **argv, char **envp, const char *cwd,
                                                 const int fds[SHELL_FDS], int procs_fd) {
  volatile int child_error = 0; /* the child writes it: it shares our memory until its execve */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old); /* no handler may run in the child */
  pid_t child = vfork();
  if (child == 0) {
    struct sigaction default_action = {.sa_handler = SIG_DFL};
    sigaction(SIGPIPE, &default_action, NULL); /* ignored by the agent, not by its commands */
    sigaction(SIGXFSZ, &default_action, NULL);
    int failed = setsid() < 0, high[SHELL_FDS];
    /* "0" moves the writer. Without a cgroup the command runs uncapped, as where there are no cgroups. */
    if (!failed && procs_fd >= 0 && write(procs_fd, "0", 1) < 0) {
    }
    /* Out of the way first, so that no dup2 below overwrites an fd a later one still needs. */
    for (int fd = 0; fd < SHELL_FDS && !failed; fd++) failed = (high[fd] = fcntl(fds[fd], F_DUPFD_CLOEXEC, 16)) < 0;
    for (int fd = 0; fd < SHELL_FDS && !failed; fd++) failed = dup2(high[fd], fd) < 0; /* without close-on-exec */
    if (!failed && chdir(cwd)) failed = 1;
    if (!failed) {
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, NULL);
      execve(argv[0], argv, envp);
    }
    child_error = errno;
    _exit(127);
  }
  int error = child < 0 ? errno : child_error;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (child > 0 && error) waitpid(child, NULL, 0);
  *pid = child;
  return error;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static void close_fds(int *fds, int n) {
  for (int i = 0; i < n; i++) close_fd(&fds[i]);
}

/** The pipes and memfds of a new shell: ours[] = {stdin, stdout, stderr, command, state} as the agent keeps
 * them, theirs[] as the shell gets them; 0 or an error number (nothing left open). */
static int shell_fds(int ours[SHELL_FDS], int theirs[SHELL_FDS]) {
  int pipes[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};
  for (int i = 0; i < SHELL_FDS; i++) ours[i] = theirs[i] = -1;
  for (int i = 0; i < 3; i++) {
    if (pipe2(pipes[i], O_CLOEXEC)) goto failed;
    ours[i] = pipes[i][i == 0];
    theirs[i] = pipes[i][i != 0];
  }
  ours[3] = memfd_create("opslab-command", MFD_CLOEXEC);
  ours[4] = theirs[4] = memfd_create("opslab-state", MFD_CLOEXEC);
  if (ours[3] < 0 || ours[4] < 0) goto failed;
  /* The shell's own open file of the command memfd, read-only: it can neither change the command nor move the
   * offset the agent relies on. */
  char self[32];
  snprintf(self, sizeof self, "/proc/self/fd/%d", ours[3]);
  if ((theirs[3] = open(self, O_RDONLY | O_CLOEXEC)) < 0) goto failed;
  return 0;
failed:;
  int error = errno;
  if (theirs[4] == ours[4]) theirs[4] = -1;
  close_fds(ours, SHELL_FDS);
  close_fds(theirs, SHELL_FDS);
  return error;
}

static struct shell *start_shell(const char *cwd, const struct env *base_env, unsigned session_number,
                                 char **error) {
  int ours[SHELL_FDS], theirs[SHELL_FDS], rc = shell_fds(ours, theirs);
  if (rc) {
    *error = os_error(rc, NULL);
    return NULL;
  }
  struct shell *shell = calloc(1, sizeof *shell);
  if (!shell) abort();
  unsigned n = __atomic_add_fetch(&shell_counter, 1, __ATOMIC_RELAXED);
  if (!is_dir(cwd)) cwd = "/";
  char *argv[] = {"/bin/bash", "--noprofile", "--norc", "-c", (char *)WRAPPER, "bash", NULL};

  pthread_mutex_lock(&cgroup_lock); /* until the shell is in its cgroup: see make_exec_cgroup */
  shell->cgroup = make_exec_cgroup(session_number, n);
  int procs_fd = -1;
  if (shell->cgroup) {
    char *procs = xasprintf("%s/cgroup.procs", shell->cgroup);
    procs_fd = open(procs, O_WRONLY | O_CLOEXEC);
    free(procs);
  }
  rc = spawn_shell(&shell->pid, argv, base_env->kv, cwd, theirs, procs_fd);
  pthread_mutex_unlock(&cgroup_lock);
  if (procs_fd >= 0) close(procs_fd);
  if (theirs[4] == ours[4]) theirs[4] = -1; /* the same fd: ours to keep */
  close_fds(theirs, SHELL_FDS);
  shell->in = ours[0];
  shell->out = ours[1];
  shell->err = ours[2];
  shell->command = ours[3];
  shell->state = ours[4];
  if (!rc) return shell;
  close_fds(ours, SHELL_FDS);
  *error = os_error(rc, rc == ENOENT ? argv[0] : cwd);
  free(shell->cgroup);
  free(shell);
  return NULL;
}

static void wait_shell(struct shell *shell) {
  while (!shell->reaped) {
    if (waitpid(shell->pid, &shell->status, 0) == shell->pid || errno != EINTR) shell->reaped = 1;
  }
}

static int shell_alive(struct shell *shell) {
  if (!shell->reaped && waitpid(shell->pid, &shell->status, WNOHANG) == shell->pid) shell->reaped = 1;
  return !shell->reaped;
}

static void kill_all(struct shell *shell) {
  /* Its process group (it leads a session of its own), whose background jobs may outlive it. */
  kill(-shell->pid, SIGKILL);
  if (shell->cgroup) kill_cgroup(shell->cgroup);
}

static void free_shell(struct shell *shell) {
  close_fd(&shell->in);
  close_fd(&shell->out);
  close_fd(&shell->err);
  close_fd(&shell->command);
  close_fd(&shell->state);
  free(shell->cgroup);
  free(shell);
}

static void discard_shell(struct shell *shell) {
  close_fd(&shell->in);
  close_fd(&shell->out);
  close_fd(&shell->err);
  kill_all(shell);
  wait_shell(shell);
  free_shell(shell);
}

/* ---- sessions: a working directory and exported variables that persist between commands ---- */

struct session {
  struct session *next;
  char *name;
  unsigned number; /* its cgroup is COMMANDS_CGROUP/s-<number> */
  int refs;        /* under sessions_lock: the list's one, and one per thread using it */
  pthread_mutex_t lock; /* guards everything below */
  int dead;             /* killed by kill-session: no shell of it may start again */
  char *cwd;
  struct env env;
  unsigned version; /* NOTE: bumped whenever cwd or env change; a warm shell of an older one is stale */
  struct shell *warm;
  unsigned warm_version;
  int warming; /* how many shells are being started ahead of commands */
  pthread_cond_t warmed;
};

static struct session *sessions;
static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;

/** The session of that name, made when there is none; the caller gives it back with session_put. */
static struct session *session_get(const char *name) {
  pthread_mutex_lock(&sessions_lock);
  struct session *s = sessions;
  while (s && strcmp(s->name, name)) s = s->next;
  if (!s) {
    s = calloc(1, sizeof *s);
    if (!s) abort();
    s->name = xstrdup(name);
    s->number = __atomic_add_fetch(&session_counter, 1, __ATOMIC_RELAXED);
    s->refs = 1;
    s->cwd = xstrdup("/root");
    for (size_t i = 0; i < sizeof BASE_ENV / sizeof *BASE_ENV; i++) env_put(&s->env, xstrdup(BASE_ENV[i]));
    pthread_mutex_init(&s->lock, NULL);
    cond_init(&s->warmed);
    s->next = sessions;
    sessions = s;
  }
  s->refs++;
  pthread_mutex_unlock(&sessions_lock);
  return s;
}

static void session_put(struct session *s) {
  pthread_mutex_lock(&sessions_lock);
  int last = !--s->refs;
  pthread_mutex_unlock(&sessions_lock);
  if (!last) return; /* NOTE: only a session taken off the list can lose its last reference */
  free(s->name);
  free(s->cwd);
  env_free(&s->env);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->warmed);
  free(s);
}

/** Takes the session of that name off the list (a later command of that name starts a new one), with a
 * reference for the caller; NULL when there is none. */
static struct session *session_take(const char *name) {
  pthread_mutex_lock(&sessions_lock);
  struct session **p = &sessions;
  while (*p && strcmp((*p)->name, name)) p = &(*p)->next;
  struct session *s = *p;
  if (s) *p = s->next; /* the list's reference is now the caller's */
  pthread_mutex_unlock(&sessions_lock);
  return s;
}

/** Copies of the session's directory and variables (the caller frees them). */
static unsigned session_snapshot(struct session *s, char **cwd, struct env *env) {
  pthread_mutex_lock(&s->lock);
  *cwd = xstrdup(s->cwd);
  env_copy(env, &s->env);
  unsigned version = s->version;
  pthread_mutex_unlock(&s->lock);
  return version;
}

/** Starts the session's next shell ahead of its next command; the caller counted it in s->warming. */
static void warm_up(struct session *s) {
  char *cwd, *error = NULL;
  struct env env = {0};
  unsigned version = session_snapshot(s, &cwd, &env);
  struct shell *shell = start_shell(cwd, &env, s->number, &error), *old = shell;
  free(cwd);
  env_free(&env);
  free(error);
  pthread_mutex_lock(&s->lock);
  s->warming--;
  pthread_cond_broadcast(&s->warmed);
  if (shell && version == s->version && !s->dead) {
    old = s->warm;
    s->warm = shell;
    s->warm_version = version;
  }
  pthread_mutex_unlock(&s->lock);
  if (old) discard_shell(old);
}

/** The session's waiting shell when it fits the request, else a new one (NULL and *error if none). */
static struct shell *take_shell(struct session *s, const char *req_cwd, const struct env *req_env, int may_warm,
                                char **error) {
  if (may_warm && !req_cwd && !req_env->n) {
    pthread_mutex_lock(&s->lock);
    /* Commands back to back: the shell being started is ready sooner than a new one. */
    struct timespec until = deadline_after_ms(WARM_SHELL_WAIT_MS);
    while (s->warming > 0 && pthread_cond_timedwait(&s->warmed, &s->lock, &until) != ETIMEDOUT) {
    }
    struct shell *warm = s->warm;
    int fresh = warm && s->warm_version == s->version;
    s->warm = NULL;
    pthread_mutex_unlock(&s->lock);
    if (fresh && shell_alive(warm)) return warm;
    if (warm) discard_shell(warm);
  }
  char *cwd;
  struct env env = {0};
  session_snapshot(s, &cwd, &env);
  for (size_t i = 0; i < req_env->n; i++) env_put(&env, xstrdup(req_env->kv[i]));
  struct shell *shell = start_shell(req_cwd ? req_cwd : cwd, &env, s->number, error);
  free(cwd);
  env_free(&env);
  return shell;
}

/** Kills every process that the session's commands started (and its waiting shell) and forgets the session;
 * returns how many processes are still there (in its cgroup) when the kill gave up. */
static int kill_session(const char *name) {
  struct session *s = session_take(name);
  if (!s) return 0;
  pthread_mutex_lock(&s->lock);
  s->dead = 1;
  struct shell *warm = s->warm;
  s->warm = NULL;
  pthread_mutex_unlock(&s->lock);
  if (warm) discard_shell(warm);
  int left = kill_session_cgroup(s->number);
  session_put(s);
  return left;
}

/** Reads what the wrapper saved on its fd 4 (directory, then NAME=value, each ending in NUL) into the session. */
static void save_state(struct session *s, int state_fd) {
  struct buf data = {0};
  struct stat st;
  if (fstat(state_fd, &st) || st.st_size <= 0 || st.st_size > MAX_STATE_BYTES) return;
  buf_put(&data, "", 0);
  char chunk[4096];
  for (off_t at = 0; at < st.st_size;) {
    ssize_t n = pread(state_fd, chunk, sizeof chunk, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buf_put(&data, chunk, (size_t)n);
    at += n;
  }
  if (!data.p || !memchr(data.p, 0, data.len)) {
    buf_free(&data);
    return;
  }
  const char *cwd = data.p, *end = data.p + data.len;
  struct env env = {0};
  for (const char *item = cwd + strlen(cwd) + 1; item < end; item += strlen(item) + 1) {
    size_t key_length = env_key_length(item);
    if (!item[key_length]) continue; /* no "=" */
    int skip = !strncmp(item, "BASH_FUNC_", 10);
    for (size_t i = 0; i < sizeof VOLATILE_ENV / sizeof *VOLATILE_ENV; i++)
      skip |= strlen(VOLATILE_ENV[i]) == key_length && !memcmp(item, VOLATILE_ENV[i], key_length);
    if (!skip) env_put(&env, xstrdup(item));
  }
  pthread_mutex_lock(&s->lock);
  if (strcmp(cwd, s->cwd) || !env_equal(&env, &s->env)) {
    free(s->cwd);
    s->cwd = xstrdup(cwd);
    env_free(&s->env);
    s->env = env;
    env = (struct env){0};
    s->version++;
  }
  pthread_mutex_unlock(&s->lock);
  env_free(&env);
  buf_free(&data);
}

/* ---- requests ---- */

/** Python's str() of a JSON value, for an error the host sent that is not a string. */
static void put_str(struct buf *out, struct jval v) {
  size_t len;
  char *s = json_string(v, &len);
  if (s) buf_put(out, s, len);
  else if (json_kind(v) == 't') buf_puts(out, "True");
  else if (json_kind(v) == 'f') buf_puts(out, "False");
  else if (!v.p || json_kind(v) == 'n') buf_puts(out, "None");
  else buf_put(out, v.p, v.n);
  free(s);
}

/** A request's string field (malloc'ed): NULL with *error when missing or not a string. */
static char *required_string(struct jval req, const char *key, char **error) {
  struct jval v = json_get(req, key);
  size_t len;
  char *s = json_string(v, &len);
  if (s && memchr(s, 0, len)) {
    free(s);
    *error = xstrdup("ValueError: embedded null byte");
    return NULL;
  }
  if (!s) *error = v.p ? xasprintf("TypeError: '%s' must be a string", key) : xasprintf("KeyError: '%s'", key);
  return s;
}

static double number_or(struct jval req, const char *key, double fallback) {
  double d;
  return json_number(json_get(req, key), &d) ? d : fallback;
}

/** A request's "env" object into env; an error message for names or values a process cannot have. */
static char *request_env(struct jval req, struct env *env) {
  struct jval key, value;
  const char *pos = NULL;
  struct jval obj = json_get(req, "env");
  while (json_next_member(obj, &pos, &key, &value)) {
    size_t key_length, value_length;
    char *k = json_string(key, &key_length), *v = json_string(value, &value_length);
    char *error = NULL;
    if (!v) error = xstrdup("TypeError: env values must be strings");
    else if (memchr(k, 0, key_length) || memchr(v, 0, value_length)) error = xstrdup("ValueError: embedded null byte");
    else if (!key_length || strchr(k, '=')) error = xstrdup("ValueError: illegal environment variable name");
    if (!error) env_put(env, xasprintf("%s=%s", k, v));
    free(k);
    free(v);
    if (error) return error;
  }
  return NULL;
}

/** Keeps reading the pipes that background jobs still hold, like a terminal would. */
static void *drain_forever(void *arg) {
  int *fds = arg; /* two, -1 when closed */
  char chunk[4096];
  while (fds[0] >= 0 || fds[1] >= 0) {
    struct pollfd pfds[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    if (poll(pfds, 2, -1) < 0) continue;
    for (int i = 0; i < 2; i++) {
      if (fds[i] < 0 || !pfds[i].revents) continue;
      ssize_t n = read(fds[i], chunk, sizeof chunk);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) close_fd(&fds[i]);
    }
  }
  free(fds);
  return NULL;
}

/* ---- commands in flight: what a cancel finds ---- */

struct running {
  struct running *next;
  double id;     /* the exec request's id */
  int cancelled; /* under running_lock */
  int wake;      /* an eventfd the cancel writes, so the command's poll() wakes up at once */
};

static struct running *running;
static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;

/** Registers an exec before its thread starts, so a cancel read right after it always finds it. */
static struct running *running_add(double id) {
  struct running *r = calloc(1, sizeof *r);
  if (!r) abort();
  r->id = id;
  r->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  pthread_mutex_lock(&running_lock);
  r->next = running;
  running = r;
  pthread_mutex_unlock(&running_lock);
  return r;
}

static void running_remove(struct running *r) {
  pthread_mutex_lock(&running_lock);
  for (struct running **p = &running; *p; p = &(*p)->next) {
    if (*p == r) {
      *p = r->next;
      break;
    }
  }
  pthread_mutex_unlock(&running_lock);
  if (r->wake >= 0) close(r->wake);
  free(r);
}

/** Marks the exec with that id cancelled and wakes it; 1 when it was found. */
static int running_cancel(double id) {
  pthread_mutex_lock(&running_lock);
  struct running *r = running;
  while (r && r->id != id) r = r->next;
  if (r) {
    r->cancelled = 1;
    uint64_t one = 1;
    if (r->wake >= 0 && write(r->wake, &one, sizeof one) < 0) { /* already signalled */
    }
  }
  pthread_mutex_unlock(&running_lock);
  return r != NULL;
}

static int running_cancelled(struct running *r) {
  pthread_mutex_lock(&running_lock);
  int cancelled = r->cancelled;
  pthread_mutex_unlock(&running_lock);
  return cancelled;
}

/* ---- exec ---- */

/** Hands the command to the shell (on its fd 3) and lets it go; 0, or -1 when the shell is gone. */
static int start_command(struct shell *shell, const char *command, size_t length) {
  for (size_t done = 0; done < length;) {
    ssize_t n = pwrite(shell->command, command + done, length - done, (off_t)done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    done += (size_t)n;
  }
  int rc = write_all(shell->in, "go\n", 3);
  close_fd(&shell->in);
  return rc;
}

/** What a command printed and how it ended. */
struct outcome {
  struct buf output[2];
  uint64_t totals[2];
  int timed_out, cancelled;
};

/** Reads the shell's output until it exits and its pipes close (or EXIT_GRACE_MS after its exit), killing it
 * at the deadline or when the exec is cancelled. Leaves the pipes background jobs still hold to a drainer. */
static void collect_output(struct shell *shell, int64_t deadline, size_t cap, struct running *r,
                           struct outcome *o) {
  int fds[2] = {shell->out, shell->err};
  shell->out = shell->err = -1; /* this loop owns them now */
  for (int i = 0; i < 2; i++) fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
  /* The shell's exit wakes poll() through a pidfd; without one, the exit is checked every 50 ms. */
  int pidfd = (int)syscall(SYS_pidfd_open, shell->pid, 0), exited = 0;
  int64_t exited_at = 0;
  char *chunk = malloc(READ_CHUNK_BYTES);
  if (!chunk) abort();
  while (fds[0] >= 0 || fds[1] >= 0) {
    int64_t now = now_ms();
    if (!exited && pidfd < 0 && !shell_alive(shell)) {
      exited = 1;
      exited_at = now;
    }
    if (exited && now - exited_at > EXIT_GRACE_MS) break;
    int stop = !o->timed_out && !o->cancelled && (now > deadline || (r && running_cancelled(r)));
    if (stop) {
      o->cancelled = r && running_cancelled(r);
      o->timed_out = !o->cancelled;
      kill_all(shell);
      if (!exited) {
        wait_shell(shell);
        exited = 1;
        exited_at = now_ms();
      }
    }
    int64_t wait = exited ? exited_at + EXIT_GRACE_MS + 1 - now : deadline + 1 - now;
    if (!exited && pidfd < 0 && wait > NO_PIDFD_POLL_MS) wait = NO_PIDFD_POLL_MS;
    if (wait < 0) wait = 0;
    struct pollfd pfds[4] = {{fds[0], POLLIN, 0},
                             {fds[1], POLLIN, 0},
                             {exited ? -1 : pidfd, POLLIN, 0},
                             {r && !o->cancelled ? r->wake : -1, POLLIN, 0}};
    if (poll(pfds, 4, wait > INT32_MAX ? INT32_MAX : (int)wait) < 0) continue;
    if (pfds[2].revents) {
      wait_shell(shell);
      exited = 1;
      exited_at = now_ms();
    }
    for (int i = 0; i < 2; i++) {
      if (fds[i] < 0 || !pfds[i].revents) continue;
      ssize_t n = read(fds[i], chunk, READ_CHUNK_BYTES);
      if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) close_fd(&fds[i]);
        continue;
      }
      if (n == 0) {
        close_fd(&fds[i]);
        continue;
      }
      o->totals[i] += (uint64_t)n;
      if (o->output[i].len < cap)
        buf_put(&o->output[i], chunk, (size_t)n < cap - o->output[i].len ? (size_t)n : cap - o->output[i].len);
    }
  }
  free(chunk);
  if (pidfd >= 0) close(pidfd);
  wait_shell(shell);
  if (fds[0] >= 0 || fds[1] >= 0) { /* background jobs still hold the pipes */
    int *still_open = malloc(2 * sizeof *still_open);
    if (!still_open) abort();
    memcpy(still_open, fds, sizeof fds);
    if (start_thread(drain_forever, still_open)) {
      close_fd(&still_open[0]);
      close_fd(&still_open[1]);
      free(still_open);
    }
  }
}

/** A shell of the session with the command started in it; NULL with *error, or NULL with *cancelled when the
 * exec was cancelled (or its session killed) before it began. */
static struct shell *begin_command(struct session *s, const char *cwd, const struct env *env, const char *command,
                                   size_t length, struct running *r, int *cancelled, char **error) {
  struct shell *shell = take_shell(s, cwd, env, 1, error);
  for (int attempt = 0; shell; attempt++) {
    pthread_mutex_lock(&s->lock);
    *cancelled = s->dead || (r && running_cancelled(r));
    pthread_mutex_unlock(&s->lock);
    if (*cancelled) break;
    if (!start_command(shell, command, length)) return shell;
    /* The shell died while waiting (killed by an earlier command): start another, once. */
    if (attempt) {
      *error = os_error(errno, NULL);
      break;
    }
    discard_shell(shell);
    shell = take_shell(s, cwd, env, 0, error);
  }
  if (shell) discard_shell(shell);
  return NULL;
}

static char *run_exec(struct jval req, struct buf *reply, struct session **warm_next, struct running *r) {
  int64_t started = now_ms();
  char *error = NULL, *name = NULL, *cwd = NULL, *command;
  size_t command_length;
  struct jval command_value = json_get(req, "command");
  if (!(command = json_string(command_value, &command_length)))
    return command_value.p ? xstrdup("TypeError: 'command' must be a string") : xstrdup("KeyError: 'command'");
  struct env env = {0};
  struct session *s = NULL;
  if ((error = request_env(req, &env))) goto done;
  size_t len;
  name = json_string(json_get(req, "session"), &len);
  s = session_get(name && *name ? name : "default");
  double timeout_ms = number_or(req, "timeoutMs", 0), cap_number = number_or(req, "maxOutputBytes", 0);
  if (!timeout_ms) timeout_ms = DEFAULT_TIMEOUT_MS;
  size_t cap = cap_number > 0 ? (size_t)cap_number : cap_number < 0 ? 0 : DEFAULT_MAX_OUTPUT_BYTES;
  cwd = json_string(json_get(req, "cwd"), &len);
  if (cwd && !*cwd) {
    free(cwd);
    cwd = NULL;
  }

  struct outcome o = {0};
  struct shell *shell = begin_command(s, cwd, &env, command, command_length, r, &o.cancelled, &error);
  if (!shell && !o.cancelled) goto done;
  int exit_code = CANCELLED_EXIT_CODE;
  if (shell) {
    collect_output(shell, started + (int64_t)timeout_ms, cap, r, &o);
    exit_code = o.cancelled                      ? CANCELLED_EXIT_CODE
                : o.timed_out                    ? TIMED_OUT_EXIT_CODE
                : WIFSIGNALED(shell->status)     ? 128 + WTERMSIG(shell->status) /* as a shell reports it */
                                                 : WEXITSTATUS(shell->status);
    if (!o.timed_out && !o.cancelled) save_state(s, shell->state);
    free_shell(shell);
  }

  buf_printf(reply, ",\"exitCode\":%d,\"stdout\":\"", exit_code);
  buf_base64(reply, o.output[0].p, o.output[0].len);
  buf_puts(reply, "\",\"stderr\":\"");
  buf_base64(reply, o.output[1].p, o.output[1].len);
  buf_printf(reply,
             "\",\"stdoutBytes\":%llu,\"stderrBytes\":%llu,\"timedOut\":%s,\"cancelled\":%s,\"durationMs\":%lld,"
             "\"cwd\":",
             (unsigned long long)o.totals[0], (unsigned long long)o.totals[1], o.timed_out ? "true" : "false",
             o.cancelled ? "true" : "false", (long long)(now_ms() - started));
  buf_free(&o.output[0]);
  buf_free(&o.output[1]);
  pthread_mutex_lock(&s->lock);
  buf_json_string(reply, s->cwd, strlen(s->cwd));
  int dead = s->dead;
  pthread_mutex_unlock(&s->lock);
  if (!dead) {
    *warm_next = s; /* the caller gives the reference back */
    s = NULL;
  }

done:
  if (s) session_put(s);
  free(command);
  free(name);
  free(cwd);
  env_free(&env);
  return error;
}

/** mkdir -p; 0 or an error message. */
static char *make_dirs(const char *dir) {
  char *path = xstrdup(dir), *error = NULL;
  for (char *p = path + 1;; p++) {
    if (*p && *p != '/') continue;
    char saved = *p;
    *p = 0;
    if (mkdir(path, 0777) && errno != EEXIST) {
      error = os_error(errno, path);
      break;
    }
    if (!saved) {
      if (!is_dir(path)) error = os_error(EEXIST, path);
      break;
    }
    *p = saved;
  }
  free(path);
  return error;
}

static char *run_write(struct jval req, struct buf *reply) {
  char *error = NULL, *path = required_string(req, "path", &error), *dir = NULL;
  struct buf data = {0};
  if (!path) return error;
  size_t len;
  char *text = json_string(json_get(req, "data"), &len);
  int bad = text && base64_decode(text, len, &data);
  free(text);
  if (bad) {
    error = xstrdup("Error: Incorrect padding");
    goto done;
  }
  /* The parent directory as Python's os.path.dirname() gives it, "/" when there is none. */
  char *slash = strrchr(path, '/');
  if (slash) {
    size_t head = (size_t)(slash - path) + 1, end = head;
    while (end > 0 && path[end - 1] == '/') end--; /* trailing slashes go, unless it is all slashes */
    dir = strndup(path, end ? end : head);
  } else {
    dir = xstrdup("/");
  }
  if ((error = make_dirs(dir))) goto done;
  int append = json_truthy(json_get(req, "append"));
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
  if (fd < 0 || write_all(fd, data.p ? data.p : "", data.len)) {
    error = os_error(errno, path);
    if (fd >= 0) close(fd);
    goto done;
  }
  close(fd);
  double mode;
  if (json_number(json_get(req, "mode"), &mode) && chmod(path, (mode_t)mode)) {
    error = os_error(errno, path);
    goto done;
  }
  struct stat st;
  if (stat(path, &st)) error = os_error(errno, path);
  else buf_printf(reply, ",\"size\":%lld", (long long)st.st_size);
done:
  buf_free(&data);
  free(dir);
  free(path);
  return error;
}

static char *run_read(struct jval req, struct buf *reply) {
  char *error = NULL, *path = required_string(req, "path", &error);
  if (!path) return error;
  double offset = number_or(req, "offset", 0), length = number_or(req, "length", DEFAULT_READ_BYTES);
  struct buf data = {0};
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st)) {
    error = os_error(errno, path);
    goto done;
  }
  if (S_ISDIR(st.st_mode)) {
    error = os_error(EISDIR, path);
    goto done;
  }
  if (offset > 0 && lseek(fd, (off_t)offset, SEEK_SET) < 0) {
    error = os_error(errno, NULL);
    goto done;
  }
  char chunk[16384];
  while (length < 0 || data.len < (size_t)length) {
    size_t want = length < 0 || (size_t)length - data.len > sizeof chunk ? sizeof chunk : (size_t)length - data.len;
    ssize_t n = read(fd, chunk, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = os_error(errno, NULL);
      goto done;
    }
    if (n == 0) break;
    buf_put(&data, chunk, (size_t)n);
  }
  buf_puts(reply, ",\"data\":\"");
  buf_base64(reply, data.p, data.len);
  buf_printf(reply, "\",\"size\":%lld", (long long)st.st_size);
done:
  if (fd >= 0) close(fd);
  buf_free(&data);
  free(path);
  return error;
}

static char *run_cancel(struct jval req, struct buf *reply) {
  double target;
  if (!json_number(json_get(req, "target"), &target)) return xstrdup("KeyError: 'target'");
  buf_printf(reply, ",\"found\":%s", running_cancel(target) ? "true" : "false");
  return NULL;
}

static char *run_kill_session(struct jval req, struct buf *reply) {
  char *error = NULL, *name = required_string(req, "session", &error);
  if (!name) return error;
  buf_printf(reply, ",\"remaining\":%d", kill_session(*name ? name : "default"));
  free(name);
  return NULL;
}

/** A request from the host, with its registration when it is an exec. */
struct request {
  struct buf text;
  char digest[MAC_HEX_CHARS + 1]; /* SHA-256 of text, for the reply */
  struct running *exec;
};

/** One request from the host, run in a thread of its own. */
static void *handle(void *arg) {
  struct request *request = arg;
  struct jval req = json_trim(request->text.p, request->text.len), id = json_get(req, "id");
  struct buf fields = {0};
  struct session *warm_next = NULL;
  size_t len;
  char *op = json_string(json_get(req, "op"), &len), *error = NULL;
  if (op && !strcmp(op, "exec")) error = run_exec(req, &fields, &warm_next, request->exec);
  else if (op && !strcmp(op, "write")) error = run_write(req, &fields);
  else if (op && !strcmp(op, "read")) error = run_read(req, &fields);
  else if (op && !strcmp(op, "ping")) buf_puts(&fields, ",\"pong\":true");
  else if (op && !strcmp(op, "cancel")) error = run_cancel(req, &fields);
  else if (op && !strcmp(op, "kill-session")) error = run_kill_session(req, &fields);
  else if (op && !strcmp(op, "sync")) sync();
  else if (op) error = xasprintf("ValueError: unknown op '%s'", op);
  if (!op && !error) { /* as Python's repr() of what came */
    struct buf what = {0};
    put_str(&what, json_get(req, "op"));
    error = xasprintf("ValueError: unknown op %s", what.p);
    buf_free(&what);
  }
  free(op);
  /* NOTE: gone from the list before the reply, so a cancel that comes after it says found: false. */
  if (request->exec) running_remove(request->exec);
  if (error) {
    send_error(id, request->digest, error);
    free(error);
  } else {
    if (warm_next) { /* counted before the reply: see take_shell */
      pthread_mutex_lock(&warm_next->lock);
      warm_next->warming++;
      pthread_mutex_unlock(&warm_next->lock);
    }
    struct buf json = {0};
    reply_head(&json, id, request->digest, 1);
    if (fields.p) buf_put(&json, fields.p, fields.len);
    buf_puts(&json, "}");
    buf_free(&fields);
    send_json(&json);
    buf_free(&json);
    if (warm_next) {
      warm_up(warm_next);
      session_put(warm_next);
    }
  }
  buf_free(&fields);
  buf_free(&request->text);
  free(request);
  malloc_trim(0); /* NOTE: freed pages go back zeroed, so a saved VM state does not store them */
  return NULL;
}

/* ---- the key of the frames' MAC ---- */

/** Loads algif_hash where it is a module (Debian's kernel; ours has it built in). */
static void load_hash_module(void) {
  char *argv[] = {"/sbin/modprobe", "-q", "algif_hash", NULL};
  char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
  pid_t pid;
  if (posix_spawn(&pid, argv[0], NULL, NULL, argv, envp)) return;
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
}

static int hex_value(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/** The key op, on the main thread so that every frame after its reply carries the new MAC: the key goes into
 * the kernel and every copy of it here is wiped. The reply is the first frame MAC'ed with the new key; on a
 * failure the old key (if any) stays. */
static void run_key(struct jval req, const char *digest) {
  struct jval id = json_get(req, "id");
  size_t len;
  char *hex = json_string(json_get(req, "key"), &len), *error = NULL;
  unsigned char key[MAC_KEY_BYTES];
  int bad = !hex || len != 2 * MAC_KEY_BYTES;
  for (size_t i = 0; !bad && i < MAC_KEY_BYTES; i++) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    bad = hi < 0 || lo < 0;
    key[i] = (unsigned char)(hi << 4 | (lo & 15));
  }
  if (hex) explicit_bzero(hex, len);
  free(hex);
  struct mac fresh = {-1, -1};
  int rc = bad ? 0 : mac_open(key, sizeof key, &fresh);
  if (rc == ENOENT || rc == EAFNOSUPPORT) {
    load_hash_module();
    rc = mac_open(key, sizeof key, &fresh);
  }
  explicit_bzero(key, sizeof key);
  if (bad) error = xstrdup("ValueError: 'key' must be 64 hex digits");
  else if (rc)
    error = xasprintf("OSError: [Errno %d] %s: the kernel cannot MAC frames (AF_ALG hmac(sha256))", rc, strerror(rc));
  if (error) {
    send_error(id, digest, error);
    free(error);
    return;
  }
  struct buf json = {0};
  reply_head(&json, id, digest, 1);
  buf_printf(&json, ",\"version\":%d}", PROTOCOL_VERSION);
  pthread_mutex_lock(&write_lock);
  struct mac old = frame_mac;
  frame_mac = fresh;
  send_json_locked(&json);
  pthread_mutex_unlock(&write_lock);
  mac_close(&old);
  buf_free(&json);
}

/* ---- host calls: guest programs asking the host through HOST_SOCKET ---- */

struct host_call {
  struct host_call *next;
  unsigned id;
  struct buf reply; /* the host-reply frame's JSON, empty until it comes */
};

static struct host_call *host_calls;
static pthread_mutex_t host_calls_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t host_replied;
static unsigned host_call_counter;

/** A host-reply frame: wakes the call it answers. NOTE: never answered, its id is one of ours. */
static void host_reply(struct jval req) {
  double id;
  if (!json_number(json_get(req, "id"), &id)) return;
  pthread_mutex_lock(&host_calls_lock);
  for (struct host_call *call = host_calls; call; call = call->next) {
    if ((double)call->id == id && !call->reply.len) {
      buf_put(&call->reply, req.p, req.n);
      pthread_cond_broadcast(&host_replied);
    }
  }
  pthread_mutex_unlock(&host_calls_lock);
}

static int host_calls_in_flight; /* atomic */

/** The request line of a host call into data (its length in *line_length); 0, or -1 when none came within
 * HOST_CALL_REQUEST_MS. NOTE: a deadline for the whole line, so a byte now and then does not keep a slot. */
static int read_request_line(int fd, struct buf *data, size_t *line_length) {
  int64_t deadline = now_ms() + HOST_CALL_REQUEST_MS;
  char *chunk = malloc(READ_CHUNK_BYTES);
  if (!chunk) abort();
  int rc = 0;
  *line_length = 0;
  for (;;) {
    char *newline = data->p ? memchr(data->p + *line_length, '\n', data->len - *line_length) : NULL;
    if (newline) {
      *line_length = (size_t)(newline - data->p);
      break;
    }
    *line_length = data->len;
    if (data->len >= MAX_HOST_CALL_BYTES) break;
    int64_t left = deadline - now_ms();
    struct pollfd pfd = {fd, POLLIN, 0};
    if (left <= 0 || (poll(&pfd, 1, (int)left) == 0 && now_ms() >= deadline)) {
      rc = -1;
      break;
    }
    ssize_t n = recv(fd, chunk, READ_CHUNK_BYTES, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    buf_put(data, chunk, (size_t)n);
  }
  free(chunk);
  return rc;
}

static void *host_call(void *arg) {
  int fd = (int)(intptr_t)arg;
  struct buf data = {0}, out = {0};
  size_t line_length;
  if (read_request_line(fd, &data, &line_length)) {
    buf_printf(&out, "{\"ok\":false,\"error\":\"no request line within %d s\"}", HOST_CALL_REQUEST_MS / 1000);
    goto reply;
  }
  struct jval call = {NULL, 0}, service;
  if (data.p && json_valid(data.p, line_length)) call = json_trim(data.p, line_length);
  if (json_kind(call) != '{' || !(service = json_get(call, "service")).p) {
    buf_puts(&out, "{\"ok\":false,\"error\":\"bad request: one JSON line {service, body}\"}");
    goto reply;
  }
  struct host_call waiting = {.id = __atomic_add_fetch(&host_call_counter, 1, __ATOMIC_RELAXED)};
  pthread_mutex_lock(&host_calls_lock);
  waiting.next = host_calls;
  host_calls = &waiting;
  pthread_mutex_unlock(&host_calls_lock);

  struct buf frame = {0}, service_text = {0};
  struct jval body = json_get(call, "body");
  put_str(&service_text, service);
  buf_printf(&frame, "{\"t\":\"host-call\",\"id\":%u,\"service\":", waiting.id);
  buf_json_string(&frame, service_text.p ? service_text.p : "", service_text.len);
  buf_puts(&frame, ",\"body\":");
  if (body.p) buf_put(&frame, body.p, body.n); /* NOTE: the body's own text, not re-encoded */
  else buf_puts(&frame, "null");
  buf_puts(&frame, "}");
  send_json(&frame);
  buf_free(&frame);
  buf_free(&service_text);

  struct timespec until = deadline_after_ms(HOST_CALL_TIMEOUT_S * 1000);
  pthread_mutex_lock(&host_calls_lock);
  while (!waiting.reply.len && pthread_cond_timedwait(&host_replied, &host_calls_lock, &until) != ETIMEDOUT) {
  }
  for (struct host_call **p = &host_calls; *p; p = &(*p)->next) {
    if (*p == &waiting) {
      *p = waiting.next;
      break;
    }
  }
  pthread_mutex_unlock(&host_calls_lock);
  if (!waiting.reply.len) {
    buf_printf(&out, "{\"ok\":false,\"error\":\"the host did not answer within %d s\"}", HOST_CALL_TIMEOUT_S);
  } else {
    struct jval reply = json_trim(waiting.reply.p, waiting.reply.len);
    if (json_truthy(json_get(reply, "ok"))) {
      struct jval reply_body = json_get(reply, "body");
      buf_puts(&out, "{\"ok\":true,\"body\":");
      if (reply_body.p) buf_put(&out, reply_body.p, reply_body.n);
      else buf_puts(&out, "null");
      buf_puts(&out, "}");
    } else {
      struct buf error = {0};
      put_str(&error, json_get(reply, "error"));
      buf_puts(&out, "{\"ok\":false,\"error\":");
      buf_json_string(&out, error.p, error.len);
      buf_puts(&out, "}");
      buf_free(&error);
    }
  }
  buf_free(&waiting.reply);
reply:
  buf_put(&out, "\n", 1);
  /* SO_SNDTIMEO bounds each send: a program that stops reading does not keep its slot. */
  for (const char *p = out.p, *end = out.p + out.len; p < end;) {
    ssize_t n = send(fd, p, (size_t)(end - p), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p += n;
  }
  close(fd);
  buf_free(&out);
  buf_free(&data);
  __atomic_sub_fetch(&host_calls_in_flight, 1, __ATOMIC_RELAXED);
  malloc_trim(0);
  return NULL;
}

/** Says no to a connection beyond MAX_HOST_CALLS at once, without waiting for it. */
static void refuse_host_call(int conn) {
  static const char busy[] = "{\"ok\":false,\"error\":\"too many calls to the host at once\"}\n";
  if (send(conn, busy, sizeof busy - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) { /* it left already */
  }
  close(conn);
}

/** Accepts guest programs on HOST_SOCKET; each connection carries one call to the host. */
static void *serve_host_calls(void *unused) {
  (void)unused;
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, HOST_SOCKET);
  unlink(HOST_SOCKET);
  int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (server < 0 || bind(server, (struct sockaddr *)&addr, sizeof addr) || chmod(HOST_SOCKET, 0666) ||
      listen(server, 16)) {
    fprintf(stderr, "opslab-agent: no host socket (%s)\n", strerror(errno));
    return NULL;
  }
  for (;;) {
    int conn = accept4(server, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOMEM) sleep_ms(100);
      continue;
    }
    if (__atomic_add_fetch(&host_calls_in_flight, 1, __ATOMIC_RELAXED) > MAX_HOST_CALLS) {
      __atomic_sub_fetch(&host_calls_in_flight, 1, __ATOMIC_RELAXED);
      refuse_host_call(conn);
      continue;
    }
    struct timeval send_timeout = {HOST_CALL_REQUEST_MS / 1000, 0};
    setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    if (start_thread(host_call, (void *)(intptr_t)conn)) {
      __atomic_sub_fetch(&host_calls_in_flight, 1, __ATOMIC_RELAXED);
      close(conn);
    }
  }
}

/* ---- the cgroup watcher ---- */

/* Kills every process of a command that reached its process cap (a fork bomb left running).
 * NOTE: it sleeps in poll() on each command cgroup's pids.events, which the kernel flags when a fork hits
 * the cap, so an idle guest never wakes up for it (a once-a-second scan cost 2% of a host core). */
struct watched {
  struct pollfd *pfds; /* [0] is cgroups_changed[0] */
  char **paths;        /* paths[i] for pfds[i], i >= 1 */
  size_t n, cap;
};

/** Kills the cgroup if it hit its cap; forgets it (fd -1) when it is gone, since a removed cgroup's file
 * polls ready forever. */
static void check_cgroup(struct watched *w, size_t i) {
  char text[256];
  ssize_t n = lseek(w->pfds[i].fd, 0, SEEK_SET) ? -1 : read(w->pfds[i].fd, text, sizeof text - 1);
  if (n > 0) {
    text[n] = 0;
    long hits = 0;
    if (sscanf(text, "max %ld", &hits) == 1 && hits > 0) kill_cgroup(w->paths[i]);
    if (is_dir(w->paths[i])) return;
  }
  close(w->pfds[i].fd);
  w->pfds[i].fd = -1;
}

/** Starts watching one command cgroup, unless it is watched already. */
static void watch_cgroup(const char *path, void *arg) {
  struct watched *w = arg;
  for (size_t i = 1; i < w->n; i++)
    if (w->pfds[i].fd >= 0 && !strcmp(w->paths[i], path)) return;
  char *events = xasprintf("%s/pids.events", path);
  int fd = open(events, O_RDONLY | O_CLOEXEC);
  free(events);
  if (fd < 0) return;
  if (w->n == w->cap) {
    w->cap *= 2;
    w->pfds = realloc(w->pfds, w->cap * sizeof *w->pfds);
    w->paths = realloc(w->paths, w->cap * sizeof *w->paths);
    if (!w->pfds || !w->paths) abort();
  }
  w->pfds[w->n] = (struct pollfd){fd, POLLPRI | POLLERR, 0};
  w->paths[w->n] = xstrdup(path);
  check_cgroup(w, w->n++); /* a cap reached before the watch began */
}

static void watch_session_cgroups(const char *session, void *w) { each_cgroup(session, "exec-", watch_cgroup, w); }

static void watch_new_cgroups(struct watched *w) {
  each_cgroup(COMMANDS_CGROUP, "s-", watch_session_cgroups, w);
  for (size_t i = 1; i < w->n; i++)
    if (w->pfds[i].fd >= 0 && !is_dir(w->paths[i])) check_cgroup(w, i);
}

static void *watch_command_cgroups(void *unused) {
  (void)unused;
  struct watched w = {malloc(16 * sizeof *w.pfds), malloc(16 * sizeof *w.paths), 1, 16};
  if (!w.pfds || !w.paths) abort();
  w.pfds[0] = (struct pollfd){cgroups_changed[0], POLLIN, 0};
  w.paths[0] = NULL;
  for (;;) {
    /* NOTE: no timeout; without cgroups nothing is ever written to cgroups_changed. */
    if (poll(w.pfds, (nfds_t)w.n, -1) < 0) continue;
    for (size_t i = 1; i < w.n; i++)
      if (w.pfds[i].fd >= 0 && w.pfds[i].revents) check_cgroup(&w, i);
    if (w.pfds[0].revents) {
      char drain[256];
      while (read(cgroups_changed[0], drain, sizeof drain) == sizeof drain) {
      }
      watch_new_cgroups(&w);
    }
    size_t kept = 1; /* drop the forgotten ones */
    for (size_t i = 1; i < w.n; i++) {
      if (w.pfds[i].fd < 0) {
        free(w.paths[i]);
        continue;
      }
      w.pfds[kept] = w.pfds[i];
      w.paths[kept++] = w.paths[i];
    }
    w.n = kept;
    malloc_trim(0);
  }
}

/* ---- the main thread: frames from the host ---- */

/** Runs one frame from the host; returns 1 when it carried a key (the caller then wipes its buffers). */
static int dispatch(const char *line, size_t length) {
  const char *start = memmem(line, length, FRAME_PREFIX, sizeof FRAME_PREFIX - 1);
  if (!start) return 0;
  start += sizeof FRAME_PREFIX - 1;
  struct request *request = calloc(1, sizeof *request);
  if (!request) abort();
  struct buf *text = &request->text;
  if (base64_decode(start, (size_t)(line + length - start), text) || !text->p ||
      !json_valid(text->p, text->len) || json_kind(json_trim(text->p, text->len)) != '{') {
    struct buf json = {0};
    buf_printf(&json, "{\"t\":\"bad-frame\",\"length\":%zu}", length);
    send_json(&json);
    buf_free(&json);
    buf_free(text);
    free(request);
    return 0;
  }
  /* NOTE: only this thread uses request_digest. Without AF_ALG the digest stays empty: no key either, then. */
  static struct mac request_digest = {-1, -1};
  if (request_digest.op < 0) digest_open(&request_digest);
  if (request_digest.op < 0 || mac_hex(&request_digest, text->p, text->len, request->digest)) request->digest[0] = 0;
  struct jval req = json_trim(text->p, text->len);
  size_t len;
  char *op = json_string(json_get(req, "op"), &len);
  int is_reply = op && !strcmp(op, "host-reply"), is_key = op && !strcmp(op, "key");
  double id;
  if (op && !strcmp(op, "exec") && json_number(json_get(req, "id"), &id)) request->exec = running_add(id);
  free(op);
  if (is_key) {
    run_key(req, request->digest);
  } else if (is_reply) {
    host_reply(req);
  } else if (start_thread(handle, request)) { /* no process slots left: say so instead of dying */
    if (request->exec) running_remove(request->exec);
    send_error(json_get(req, "id"), request->digest, "RuntimeError: can't start new thread");
  } else {
    return 0; /* the thread owns the request */
  }
  if (is_key) explicit_bzero(text->p, text->cap);
  buf_free(text);
  free(request);
  return is_key;
}

/** Numbers new sessions and shells above those of the cgroups an earlier agent left (its commands may still
 * run there), so that no command of ours joins one of theirs. */
static void number_after_cgroup(const char *path, void *counter) {
  const char *name = strrchr(path, '/') + 1;
  unsigned n = (unsigned)strtoul(name + (name[0] == 's' ? 2 : 5), NULL, 10);
  if (n > *(unsigned *)counter) *(unsigned *)counter = n;
  if (name[0] == 's') each_cgroup(path, "exec-", number_after_cgroup, &shell_counter);
}

static void open_tty(const char *device) {
  tty_fd = open(device, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty_fd < 0) {
    fprintf(stderr, "opslab-agent: %s: %s\n", device, strerror(errno));
    exit(1);
  }
  /* No other process may open the port (root still can: the MAC is what makes its frames worthless). */
  if (ioctl(tty_fd, TIOCEXCL)) fprintf(stderr, "opslab-agent: TIOCEXCL: %s\n", strerror(errno));
  struct termios attrs;
  if (!tcgetattr(tty_fd, &attrs)) {
    cfmakeraw(&attrs); /* raw, no echo */
    attrs.c_cc[VMIN] = 1;
    attrs.c_cc[VTIME] = 0;
    tcsetattr(tty_fd, TCSANOW, &attrs);
  }
}

/** Reads frames from the host forever. */
static void read_frames(void) {
  char *chunk = malloc(READ_CHUNK_BYTES);
  if (!chunk) abort();
  struct buf pending = {0}; /* the line being received; only new chunks are searched for its end */
  buf_put(&pending, "", 0);
  for (;;) {
    ssize_t n = read(tty_fd, chunk, READ_CHUNK_BYTES);
    if (n <= 0) {
      if (n < 0 && errno != EINTR && errno != EAGAIN) sleep_ms(10);
      if (n == 0) sleep_ms(10);
      continue;
    }
    const char *p = chunk, *end = chunk + n, *newline;
    int wipe = 0;
    while ((newline = memchr(p, '\n', (size_t)(end - p)))) {
      buf_put(&pending, p, (size_t)(newline - p));
      wipe |= dispatch(pending.p, pending.len);
      if (wipe) explicit_bzero(pending.p, pending.cap);
      pending.len = 0;
      p = newline + 1;
    }
    if (p < end) buf_put(&pending, p, (size_t)(end - p));
    if (wipe) explicit_bzero(chunk, (size_t)n);
    if (!pending.len && pending.cap > READ_CHUNK_BYTES) buf_free(&pending); /* after a big frame */
  }
}

int main(void) {
  mallopt(M_ARENA_MAX, 1); /* one heap for all threads: fewer pages for a saved state to store */
  int null_fd; /* stdin, stdout and stderr are open, so no pipe of ours is ever one of them */
  while ((null_fd = open("/dev/null", O_RDWR)) >= 0 && null_fd < 3) {
  }
  if (null_fd >= 0) close(null_fd);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGXFSZ, SIG_IGN);
  umask(022);
  mkdir(STATE_DIR, 0755);
  const char *device = getenv("OPSLAB_AGENT_DEVICE");
  open_tty(device && *device ? device : DEFAULT_DEVICE);
  if (pipe2(cgroups_changed, O_CLOEXEC)) return 1;
  fcntl(cgroups_changed[0], F_SETFL, O_NONBLOCK);
  fcntl(cgroups_changed[1], F_SETFL, O_NONBLOCK);
  cond_init(&host_replied);
  pthread_mutex_lock(&cgroup_lock);
  setup_cgroups();
  each_cgroup(COMMANDS_CGROUP, "s-", number_after_cgroup, &session_counter);
  each_cgroup(COMMANDS_CGROUP, "exec-", number_after_cgroup, &shell_counter);
  pthread_mutex_unlock(&cgroup_lock);

  struct buf hello = {0};
  buf_printf(&hello, "{\"t\":\"hello\",\"version\":%d,\"pid\":%d}", PROTOCOL_VERSION, (int)getpid());
  send_json(&hello);
  buf_free(&hello);
  /* The unit starts the agent ahead of the rest of the boot (Nice=-10); its commands run at the usual 0.
   * NOTE: before any thread starts: a thread inherits its creator's nice value. */
  setpriority(PRIO_PROCESS, 0, 0);
  struct session *first = session_get("default");
  first->warming++;
  warm_up(first);
  session_put(first);
  start_thread(watch_command_cgroups, NULL);
  start_thread(serve_host_calls, NULL);
  read_frames();
}
