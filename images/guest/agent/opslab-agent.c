// OpsLab guest agent: runs the host's commands from the second serial port (ttyS1) with exact results.
//
// Wire format (both directions): one frame per line, "@@OPSLAB " + base64(JSON) + "\n".
// Host -> guest: {"id", "op": "exec"|"write"|"read"|"ping", ...}; guest -> host: {"id", "ok", ...}
// or {"t": "hello"} when the agent starts. See src/vm/protocol.ts for the host side.
// Host calls (guest programs asking the host, e.g. the `cloud` CLI): a program connects to HOST_SOCKET and
// writes one JSON line {"service", "body"}; the agent sends {"t": "host-call", "id", "service", "body"},
// the host answers {"op": "host-reply", "id", "ok", "body"|"error"}, and the agent writes that back as one line.
//
// Each request runs in a thread of its own (an exec may last minutes while others come and go); the main
// thread only reads the tty. Errors go back as {"id", "ok": false, "error": "<Class>: message"} with the
// class names the Python agent this replaces used (FileNotFoundError, KeyError, ...).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define PROTOCOL_VERSION 1
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
#ifndef COMMANDS_CGROUP
#define COMMANDS_CGROUP "/sys/fs/cgroup/opslab-commands"
#endif
#define COMMAND_MAX_PROCESSES 512 /* per command: a fork bomb stops here */
#define ALL_COMMANDS_MAX_PROCESSES 2048
#define CGROUP_KILL_TRIES 50
#define CGROUP_KILL_WAIT_MS 20
#define WARM_SHELL_WAIT_MS 2000
#define HOST_SOCKET STATE_DIR "/host.sock"
#define HOST_CALL_TIMEOUT_S 60
#define MAX_HOST_CALL_BYTES (1024 * 1024)
#define DEFAULT_READ_BYTES (256 * 1024)
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
static const char *const VOLATILE_ENV[] = {"_", "SHLVL", "OLDPWD", "OPSLAB_STATE_FILE", "OPSLAB_COMMAND_FILE"};
/* The wrapper waits for the command (a shell is started ahead of time, so a command does not wait for bash
 * to load), then saves the shell's directory and exported variables whatever way the command ends.
 * NOTE: only shell builtins here, so a command costs one process. The shell is already in its command's
 * cgroup: it joined before its execve (see spawn_shell). */
static const char WRAPPER[] =
    "\n"
    "echo 0 > /proc/self/oom_score_adj 2>/dev/null\n"
    "IFS= read -r __opslab_go || exit 0\n"
    "IFS= read -r -d '' __opslab_command < \"$OPSLAB_COMMAND_FILE\"\n"
    "exec < /dev/null\n"
    "trap '__opslab_rc=$?; { printf \"%s\\0\" \"$PWD\"; for __opslab_n in $(compgen -e); do printf "
    "\"%s=%s\\0\" \"$__opslab_n\" \"${!__opslab_n}\"; done; } > \"$OPSLAB_STATE_FILE\" 2>/dev/null; exit "
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

static void env_set(struct env *env, const char *key, const char *value) {
  env_put(env, xasprintf("%s=%s", key, value));
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

/** Sends one JSON text as a frame. */
static void send_json(const struct buf *json) {
  struct buf line = {0};
  buf_puts(&line, FRAME_PREFIX);
  buf_base64(&line, json->p, json->len);
  buf_put(&line, "\n", 1);
  pthread_mutex_lock(&write_lock);
  write_all(tty_fd, line.p, line.len);
  pthread_mutex_unlock(&write_lock);
  buf_free(&line);
}

static void send_error(struct jval id, const char *error) {
  struct buf json = {0};
  buf_puts(&json, "{\"id\":");
  if (id.p) buf_put(&json, id.p, id.n);
  else buf_puts(&json, "null");
  buf_puts(&json, ",\"ok\":false,\"error\":");
  buf_json_string(&json, error, strlen(error));
  buf_puts(&json, "}");
  send_json(&json);
  buf_free(&json);
}

/* ---- cgroups: one per command, with its own process cap ---- */

static pthread_mutex_t cgroup_lock = PTHREAD_MUTEX_INITIALIZER;
static int have_cgroups; /* COMMANDS_CGROUP is set up; under cgroup_lock */
/* A byte here tells the cgroup watcher that a command cgroup was made (it then watches that one too). */
static int cgroups_changed[2] = {-1, -1};

/* Makes the cgroup under which each command gets a cgroup of its own, with its own process cap.
 * NOTE: it sits beside systemd's slices, not in the agent's service, so a fork bomb that fills a
 * command's pids.max leaves the agent free to answer and to kill it, and the agent can restart.
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

/** A new cgroup for shell n (malloc'ed path), or NULL when there are no cgroups. NOTE: called with
 * cgroup_lock held, which the caller keeps until the shell has joined the cgroup: this removes every
 * empty command cgroup, and the cgroup of a shell that has not joined yet is empty too. */
static char *make_exec_cgroup(unsigned n) {
  if (!have_cgroups || !is_dir(COMMANDS_CGROUP)) {
    have_cgroups = 0;
    setup_cgroups();
  }
  if (!have_cgroups) return NULL;
  DIR *dir = opendir(COMMANDS_CGROUP); /* remove the empty cgroups of finished commands */
  if (dir) {
    for (struct dirent *entry; (entry = readdir(dir));) {
      if (strncmp(entry->d_name, "exec-", 5)) continue;
      char path[sizeof COMMANDS_CGROUP + 256];
      snprintf(path, sizeof path, "%s/%s", COMMANDS_CGROUP, entry->d_name);
      rmdir(path);
    }
    closedir(dir);
  }
  char *path = xasprintf("%s/exec-%u", COMMANDS_CGROUP, n), *pids_max = xasprintf("%s/pids.max", path);
  char cap[16];
  snprintf(cap, sizeof cap, "%d", COMMAND_MAX_PROCESSES);
  int failed = (mkdir(path, 0755) && errno != EEXIST) || write_file(pids_max, cap);
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

/* ---- shells ---- */

/** A bash running WRAPPER, waiting for "go" on its stdin. */
struct shell {
  pid_t pid;
  int in, out, err;  /* our ends of its pipes, or -1 */
  int reaped, status; /* waitpid() has collected it */
  char *cgroup;       /* or NULL */
  char command_file[48], state_file[48];
};

static unsigned shell_counter;

/* Starts argv[0] in a session of its own with fds as its stdin, stdout and stderr, in the cgroup whose
 * cgroup.procs is open as procs_fd (none when -1); 0 or an error number.
 * NOTE: vfork, far cheaper than fork in the emulator; not posix_spawn, whose child would inherit glibc's two
 * internal signals as ignored. The child only makes system calls until its execve. */
static __attribute__((noinline)) int spawn_shell(pid_t *pid, char **argv, char **envp, const char *cwd,
                                                 const int fds[3], int procs_fd) {
  volatile int child_error = 0; /* the child writes it: it shares our memory until its execve */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old); /* no handler may run in the child */
  pid_t child = vfork();
  if (child == 0) {
    struct sigaction default_action = {.sa_handler = SIG_DFL};
    sigaction(SIGPIPE, &default_action, NULL); /* ignored by the agent, not by its commands */
    sigaction(SIGXFSZ, &default_action, NULL);
    int failed = setsid() < 0;
    /* "0" moves the writer. Without a cgroup the command runs uncapped, as where there are no cgroups. */
    if (!failed && procs_fd >= 0 && write(procs_fd, "0", 1) < 0) {
    }
    for (int fd = 0; fd < 3 && !failed; fd++) /* dup2 onto itself would keep close-on-exec */
      failed = fds[fd] == fd ? fcntl(fd, F_SETFD, 0) < 0 : dup2(fds[fd], fd) < 0;
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

static struct shell *start_shell(const char *cwd, const struct env *base_env, char **error) {
  struct shell *shell = calloc(1, sizeof *shell);
  if (!shell) abort();
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC)) goto pipe_failed;
  if (pipe2(out, O_CLOEXEC)) goto close_in;
  if (pipe2(err, O_CLOEXEC)) goto close_out;

  unsigned n = __atomic_add_fetch(&shell_counter, 1, __ATOMIC_RELAXED);
  snprintf(shell->command_file, sizeof shell->command_file, "%s/command-%u", STATE_DIR, n);
  snprintf(shell->state_file, sizeof shell->state_file, "%s/state-%u", STATE_DIR, n);
  struct env env = {0};
  env_copy(&env, base_env);
  env_set(&env, "OPSLAB_STATE_FILE", shell->state_file);
  env_set(&env, "OPSLAB_COMMAND_FILE", shell->command_file);
  if (!is_dir(cwd)) cwd = "/";
  char *argv[] = {"/bin/bash", "--noprofile", "--norc", "-c", (char *)WRAPPER, "bash", NULL};
  int fds[3] = {in[0], out[1], err[1]};

  pthread_mutex_lock(&cgroup_lock); /* until the shell is in its cgroup: see make_exec_cgroup */
  shell->cgroup = make_exec_cgroup(n);
  int procs_fd = -1;
  if (shell->cgroup) {
    char *procs = xasprintf("%s/cgroup.procs", shell->cgroup);
    procs_fd = open(procs, O_WRONLY | O_CLOEXEC);
    free(procs);
  }
  int rc = spawn_shell(&shell->pid, argv, env.kv, cwd, fds, procs_fd);
  pthread_mutex_unlock(&cgroup_lock);
  if (procs_fd >= 0) close(procs_fd);
  env_free(&env);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  shell->in = in[1];
  shell->out = out[0];
  shell->err = err[0];
  if (!rc) return shell;
  close(in[1]);
  close(out[0]);
  close(err[0]);
  *error = os_error(rc, rc == ENOENT ? argv[0] : cwd);
  free(shell->cgroup);
  free(shell);
  return NULL;

close_out:
  close(out[0]);
  close(out[1]);
close_in:
  close(in[0]);
  close(in[1]);
pipe_failed:
  *error = os_error(errno, NULL);
  free(shell);
  return NULL;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
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
  pthread_mutex_t lock; /* guards everything below */
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

static struct session *session_get(const char *name) {
  pthread_mutex_lock(&sessions_lock);
  struct session *s = sessions;
  while (s && strcmp(s->name, name)) s = s->next;
  if (!s) {
    s = calloc(1, sizeof *s);
    if (!s) abort();
    s->name = xstrdup(name);
    s->cwd = xstrdup("/root");
    for (size_t i = 0; i < sizeof BASE_ENV / sizeof *BASE_ENV; i++) env_put(&s->env, xstrdup(BASE_ENV[i]));
    pthread_mutex_init(&s->lock, NULL);
    cond_init(&s->warmed);
    s->next = sessions;
    sessions = s;
  }
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
  struct shell *shell = start_shell(cwd, &env, &error), *old = shell;
  free(cwd);
  env_free(&env);
  free(error);
  pthread_mutex_lock(&s->lock);
  s->warming--;
  pthread_cond_broadcast(&s->warmed);
  if (shell && version == s->version) {
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
  struct shell *shell = start_shell(req_cwd ? req_cwd : cwd, &env, error);
  free(cwd);
  env_free(&env);
  return shell;
}

/** Reads what the wrapper saved (directory, then NAME=value, each ending in NUL) into the session. */
static void save_state(struct session *s, const char *state_file) {
  struct buf data = {0};
  if (read_file(state_file, &data) || !data.p || !memchr(data.p, 0, data.len)) {
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

static int start_command(struct shell *shell, const char *command, size_t length) {
  int fd = open(shell->command_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return -1;
  int rc = write_all(fd, command, length);
  close(fd);
  if (rc) return -1;
  rc = write_all(shell->in, "go\n", 3);
  close_fd(&shell->in);
  return rc;
}

static char *run_exec(struct jval req, struct buf *reply, struct session **warm_next) {
  int64_t started = now_ms();
  char *error = NULL, *name = NULL, *cwd = NULL, *command;
  size_t command_length;
  struct jval command_value = json_get(req, "command");
  if (!(command = json_string(command_value, &command_length)))
    return command_value.p ? xstrdup("TypeError: 'command' must be a string") : xstrdup("KeyError: 'command'");
  struct env env = {0};
  if ((error = request_env(req, &env))) goto done;
  size_t len;
  name = json_string(json_get(req, "session"), &len);
  if (name && !*name) {
    free(name);
    name = NULL;
  }
  struct session *s = session_get(name ? name : "default");
  double timeout_ms = number_or(req, "timeoutMs", 0), cap_number = number_or(req, "maxOutputBytes", 0);
  if (!timeout_ms) timeout_ms = DEFAULT_TIMEOUT_MS;
  size_t cap = cap_number > 0 ? (size_t)cap_number : cap_number < 0 ? 0 : DEFAULT_MAX_OUTPUT_BYTES;
  cwd = json_string(json_get(req, "cwd"), &len);
  if (cwd && !*cwd) {
    free(cwd);
    cwd = NULL;
  }

  struct shell *shell = take_shell(s, cwd, &env, 1, &error);
  if (!shell) goto done;
  if (start_command(shell, command, command_length)) {
    /* The shell died while waiting (killed by an earlier command): start another. */
    discard_shell(shell);
    shell = take_shell(s, cwd, &env, 0, &error);
    if (!shell) goto done;
    if (start_command(shell, command, command_length)) {
      error = os_error(errno, NULL);
      discard_shell(shell);
      goto done;
    }
  }

  struct buf output[2] = {{0}, {0}};
  uint64_t totals[2] = {0, 0};
  int fds[2] = {shell->out, shell->err};
  shell->out = shell->err = -1; /* the loop owns them now */
  for (int i = 0; i < 2; i++) fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
  /* The shell's exit wakes poll() through a pidfd; without one, the exit is checked every 50 ms. */
  int pidfd = (int)syscall(SYS_pidfd_open, shell->pid, 0);
  int timed_out = 0, exited = 0;
  int64_t exited_at = 0, deadline = started + (int64_t)timeout_ms;
  char *chunk = malloc(READ_CHUNK_BYTES);
  if (!chunk) abort();
  while (fds[0] >= 0 || fds[1] >= 0) {
    int64_t now = now_ms();
    if (!exited && pidfd < 0 && !shell_alive(shell)) {
      exited = 1;
      exited_at = now;
    }
    if (exited && now - exited_at > EXIT_GRACE_MS) break;
    if (!timed_out && now > deadline) {
      timed_out = 1;
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
    struct pollfd pfds[3] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}, {exited ? -1 : pidfd, POLLIN, 0}};
    if (poll(pfds, 3, wait > INT32_MAX ? INT32_MAX : (int)wait) < 0) continue;
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
      totals[i] += (uint64_t)n;
      if (output[i].len < cap)
        buf_put(&output[i], chunk, (size_t)n < cap - output[i].len ? (size_t)n : cap - output[i].len);
    }
  }
  free(chunk);
  if (pidfd >= 0) close(pidfd);
  wait_shell(shell);
  int exit_code = timed_out                      ? TIMED_OUT_EXIT_CODE
                  : WIFSIGNALED(shell->status) ? 128 + WTERMSIG(shell->status) /* as a shell reports it */
                                                 : WEXITSTATUS(shell->status);
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
  if (!timed_out) save_state(s, shell->state_file);
  unlink(shell->command_file);
  unlink(shell->state_file);
  free_shell(shell);

  buf_printf(reply, ",\"exitCode\":%d,\"stdout\":\"", exit_code);
  buf_base64(reply, output[0].p, output[0].len);
  buf_puts(reply, "\",\"stderr\":\"");
  buf_base64(reply, output[1].p, output[1].len);
  buf_printf(reply, "\",\"stdoutBytes\":%llu,\"stderrBytes\":%llu,\"timedOut\":%s,\"durationMs\":%lld,\"cwd\":",
             (unsigned long long)totals[0], (unsigned long long)totals[1], timed_out ? "true" : "false",
             (long long)(now_ms() - started));
  buf_free(&output[0]);
  buf_free(&output[1]);
  pthread_mutex_lock(&s->lock);
  buf_json_string(reply, s->cwd, strlen(s->cwd));
  pthread_mutex_unlock(&s->lock);
  *warm_next = s;

done:
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

/** One request from the host, run in a thread of its own. */
static void *handle(void *arg) {
  struct buf *text = arg;
  struct jval req = json_trim(text->p, text->len), id = json_get(req, "id");
  struct buf fields = {0};
  struct session *warm_next = NULL;
  size_t len;
  char *op = json_string(json_get(req, "op"), &len), *error = NULL;
  if (op && !strcmp(op, "exec")) error = run_exec(req, &fields, &warm_next);
  else if (op && !strcmp(op, "write")) error = run_write(req, &fields);
  else if (op && !strcmp(op, "read")) error = run_read(req, &fields);
  else if (op && !strcmp(op, "ping")) buf_puts(&fields, ",\"pong\":true");
  else if (op) error = xasprintf("ValueError: unknown op '%s'", op);
  if (!op && !error) { /* as Python's repr() of what came */
    struct buf what = {0};
    put_str(&what, json_get(req, "op"));
    error = xasprintf("ValueError: unknown op %s", what.p);
    buf_free(&what);
  }
  free(op);
  if (error) {
    send_error(id, error);
    free(error);
  } else {
    if (warm_next) { /* counted before the reply: see take_shell */
      pthread_mutex_lock(&warm_next->lock);
      warm_next->warming++;
      pthread_mutex_unlock(&warm_next->lock);
    }
    struct buf json = {0};
    buf_puts(&json, "{\"id\":");
    if (id.p) buf_put(&json, id.p, id.n);
    else buf_puts(&json, "null");
    buf_puts(&json, ",\"ok\":true");
    if (fields.p) buf_put(&json, fields.p, fields.len);
    buf_puts(&json, "}");
    buf_free(&fields);
    send_json(&json);
    buf_free(&json);
    if (warm_next) warm_up(warm_next);
  }
  buf_free(&fields);
  buf_free(text);
  free(text);
  malloc_trim(0); /* NOTE: freed pages go back zeroed, so a saved VM state does not store them */
  return NULL;
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

static void *host_call(void *arg) {
  int fd = (int)(intptr_t)arg;
  struct buf data = {0}, out = {0};
  char *chunk = malloc(READ_CHUNK_BYTES);
  if (!chunk) abort();
  size_t line_length = 0;
  for (;;) {
    char *newline = data.p ? memchr(data.p + line_length, '\n', data.len - line_length) : NULL;
    if (newline) {
      line_length = (size_t)(newline - data.p);
      break;
    }
    line_length = data.len;
    if (data.len >= MAX_HOST_CALL_BYTES) break;
    ssize_t n = recv(fd, chunk, READ_CHUNK_BYTES, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buf_put(&data, chunk, (size_t)n);
  }
  free(chunk);
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
  write_all(fd, out.p, out.len);
  close(fd);
  buf_free(&out);
  buf_free(&data);
  malloc_trim(0);
  return NULL;
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
    if (start_thread(host_call, (void *)(intptr_t)conn)) close(conn);
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

static void watch_new_cgroups(struct watched *w) {
  DIR *dir = opendir(COMMANDS_CGROUP);
  if (!dir) return;
  for (struct dirent *entry; (entry = readdir(dir));) {
    if (strncmp(entry->d_name, "exec-", 5)) continue;
    char *path = xasprintf("%s/%s", COMMANDS_CGROUP, entry->d_name);
    int known = 0;
    for (size_t i = 1; i < w->n && !known; i++) known = w->pfds[i].fd >= 0 && !strcmp(w->paths[i], path);
    char *events = xasprintf("%s/pids.events", path);
    int fd = known ? -1 : open(events, O_RDONLY | O_CLOEXEC);
    free(events);
    if (fd < 0) {
      free(path);
      continue;
    }
    if (w->n == w->cap) {
      w->cap *= 2;
      w->pfds = realloc(w->pfds, w->cap * sizeof *w->pfds);
      w->paths = realloc(w->paths, w->cap * sizeof *w->paths);
      if (!w->pfds || !w->paths) abort();
    }
    w->pfds[w->n] = (struct pollfd){fd, POLLPRI | POLLERR, 0};
    w->paths[w->n] = path;
    check_cgroup(w, w->n++); /* a cap reached before the watch began */
  }
  closedir(dir);
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

static void dispatch(const char *line, size_t length) {
  const char *start = memmem(line, length, FRAME_PREFIX, sizeof FRAME_PREFIX - 1);
  if (!start) return;
  start += sizeof FRAME_PREFIX - 1;
  struct buf *text = calloc(1, sizeof *text);
  if (!text) abort();
  if (base64_decode(start, (size_t)(line + length - start), text) || !text->p ||
      !json_valid(text->p, text->len) || json_kind(json_trim(text->p, text->len)) != '{') {
    struct buf json = {0};
    buf_printf(&json, "{\"t\":\"bad-frame\",\"length\":%zu}", length);
    send_json(&json);
    buf_free(&json);
    buf_free(text);
    free(text);
    return;
  }
  struct jval req = json_trim(text->p, text->len);
  size_t len;
  char *op = json_string(json_get(req, "op"), &len);
  int is_reply = op && !strcmp(op, "host-reply");
  free(op);
  if (is_reply) {
    host_reply(req);
  } else if (start_thread(handle, text)) { /* no process slots left: say so instead of dying */
    send_error(json_get(req, "id"), "RuntimeError: can't start new thread");
  } else {
    return; /* the thread owns text */
  }
  buf_free(text);
  free(text);
}

static void open_tty(const char *device) {
  tty_fd = open(device, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty_fd < 0) {
    fprintf(stderr, "opslab-agent: %s: %s\n", device, strerror(errno));
    exit(1);
  }
  struct termios attrs;
  if (!tcgetattr(tty_fd, &attrs)) {
    cfmakeraw(&attrs); /* raw, no echo */
    attrs.c_cc[VMIN] = 1;
    attrs.c_cc[VTIME] = 0;
    tcsetattr(tty_fd, TCSANOW, &attrs);
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
  start_thread(watch_command_cgroups, NULL);
  start_thread(serve_host_calls, NULL);

  char *chunk = malloc(READ_CHUNK_BYTES);
  if (!chunk) abort();
  struct buf pending = {0}; /* the line being received; only new chunks are searched for its end */
  for (;;) {
    ssize_t n = read(tty_fd, chunk, READ_CHUNK_BYTES);
    if (n <= 0) {
      if (n < 0 && errno != EINTR && errno != EAGAIN) sleep_ms(10);
      if (n == 0) sleep_ms(10);
      continue;
    }
    const char *p = chunk, *end = chunk + n, *newline;
    while ((newline = memchr(p, '\n', (size_t)(end - p)))) {
      buf_put(&pending, p, (size_t)(newline - p));
      dispatch(pending.p, pending.len);
      pending.len = 0;
      p = newline + 1;
    }
    if (p < end) buf_put(&pending, p, (size_t)(end - p));
    if (!pending.len && pending.cap > READ_CHUNK_BYTES) buf_free(&pending); /* after a big frame */
  }
}
