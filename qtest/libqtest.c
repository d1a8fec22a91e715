/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqtest.c - the qtest client of libqtest.h: requests out, replies in,
 * over an in-process server or a spawned tern.
 *
 * Every wait has a deadline and every failure goes through qtest_fail(),
 * which kills a spawned server before reporting, so a broken test ends
 * quickly and leaves nothing running.  The child gets PR_SET_PDEATHSIG too:
 * if the test process dies, so does its server.
 *
 * Not here: the server (qtest.c).
 */
#include "qtest/libqtest.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>
#include <glib-unix.h>

#include "core/error.h"
#include "core/runstate.h"
#include "core/tern.h"
#include "qtest/qtest.h"

#define QUIT_TIMEOUT_MS 30000
#define WAIT_STEP_MS    10

struct QTestState {
    QTestTransport transport;
    int rfd, wfd; /* spawned: read and write ends (the same socket for unix) */
    pid_t pid;
    bool exited; /* reaped (status valid) */
    int status;  /* exit status, or 128 + signal */
    bool signalled;
    QTestServer *server; /* in-process */
    GString *rx;         /* received text not yet taken as lines */
    int irq_level[QTEST_IRQ_LEVELS];
    int saved_irq_level[QTEST_IRQ_LEVELS]; /* qtest_inproc_save() */
    bool big_endian;
    int expected_status;
    int timeout_s;
    bool broken;
    GString *last_request; /* the line being sent, for failure messages (first 200 bytes) */
    bool line_done;        /* the last bytes sent ended a line */
};

static QTestFailFunc *fail_handler;
static QTestState *inproc_state;
static unsigned socket_counter;

void qtest_set_fail_handler(QTestFailFunc *fn)
{
    fail_handler = fn;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reaps the child if it has ended (or waits up to timeout_ms); true when it has. */
static bool reap_child(QTestState *s, int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    int wstatus;

    if (s->exited || !s->pid) {
        return s->exited;
    }
    for (;;) {
        pid_t r = waitpid(s->pid, &wstatus, WNOHANG);
        if (r == s->pid) {
            s->exited = true;
            s->signalled = WIFSIGNALED(wstatus);
            s->status = s->signalled ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus);
            return true;
        }
        if (r < 0 && errno != EINTR) {
            s->exited = true; /* not our child any more: nothing to wait for */
            s->status = -1;
            return true;
        }
        if (now_ms() >= deadline) {
            return false;
        }
        g_usleep(WAIT_STEP_MS * 1000);
    }
}

static void kill_child(QTestState *s)
{
    if (s && s->pid && !s->exited) {
        kill(s->pid, SIGKILL);
        reap_child(s, QUIT_TIMEOUT_MS);
    }
}

/* A client-side failure: the server is stopped, then the handler hears of it. */
static void G_GNUC_PRINTF(2, 3) qtest_fail(QTestState *s, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    int n;

    n = snprintf(msg, sizeof(msg), "qtest: ");
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    if (s) {
        s->broken = true;
        kill_child(s);
    }
    /* The handler may longjmp (cmocka): nothing of ours is on the heap now. */
    if (fail_handler) {
        fail_handler(msg);
        return;
    }
    fprintf(stderr, "%s\n", msg);
    abort();
}

/* ---- sending and receiving ------------------------------------------------------------------ */

static void inproc_collect(void *opaque, const char *text, size_t len)
{
    QTestState *s = opaque;

    g_string_append_len(s->rx, text, len);
}

/* A request may be sent in pieces (qtest_bufwrite): the message names the whole line. */
static void remember_request(QTestState *s, const char *data, size_t len)
{
    const char *nl = memchr(data, '\n', len);
    size_t take = nl ? (size_t)(nl - data) : len;

    if (s->line_done) {
        g_string_truncate(s->last_request, 0);
    }
    if (s->last_request->len < 200) {
        g_string_append_len(s->last_request, data, MIN(take, 200 - s->last_request->len));
    }
    s->line_done = len && data[len - 1] == '\n';
}

/*
 * What tern's main loop does between two commands: act on a guest's reset
 * or exit request.  After an exit the process would be gone; here the exit
 * status is kept for qtest_wait_exit() and qtest_quit().
 */
void qtest_inproc_process_requests(QTestState *s)
{
    int status = 0;

    if (!s->exited && runstate_request_pending() && runstate_process_requests(&status)) {
        s->exited = true;
        s->status = status;
    }
}

void qtest_send_bytes(QTestState *s, const void *data, size_t len)
{
    const char *p = data;
    int64_t deadline = now_ms() + (int64_t)s->timeout_s * 1000;

    if (s->broken) {
        return;
    }
    remember_request(s, data, len);
    if (s->transport == QTEST_TRANSPORT_INPROC) {
        qtest_server_feed(s->server, data, len);
        qtest_inproc_process_requests(s);
        return;
    }
    while (len) {
        struct pollfd pfd = {.fd = s->wfd, .events = POLLOUT};
        ssize_t n;
        int64_t left = deadline - now_ms();

        if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
            qtest_fail(s, "tern did not take the request '%s' within %d s", s->last_request->str,
                       s->timeout_s);
            return;
        }
        n = write(s->wfd, p, len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0) {
            qtest_fail(s, "cannot send '%s' to tern: %s", s->last_request->str, g_strerror(errno));
            return;
        }
        p += n;
        len -= n;
    }
}

void qtest_vsendf(QTestState *s, const char *fmt, va_list ap)
{
    char *text = g_strdup_vprintf(fmt, ap);

    qtest_send_bytes(s, text, strlen(text));
    g_free(text);
}

void qtest_sendf(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qtest_vsendf(s, fmt, ap);
    va_end(ap);
}

/* Takes one line out of rx, or returns NULL when none is complete. */
static char *take_line(QTestState *s)
{
    char *nl = memchr(s->rx->str, '\n', s->rx->len);
    char *line;

    if (!nl) {
        return NULL;
    }
    line = g_strndup(s->rx->str, nl - s->rx->str);
    g_string_erase(s->rx, 0, nl - s->rx->str + 1);
    return line;
}

/*
 * The next line within timeout_ms.  must: a missing line is a failure (with
 * what is known about the server); else NULL.
 */
static char *read_line(QTestState *s, int timeout_ms, bool must)
{
    int64_t deadline = now_ms() + timeout_ms;
    char *line;

    while (!s->broken && !(line = take_line(s))) {
        struct pollfd pfd = {.fd = s->rfd, .events = POLLIN};
        char buf[4096];
        int64_t left = deadline - now_ms();
        ssize_t n;

        if (s->transport == QTEST_TRANSPORT_INPROC) {
            if (must) {
                qtest_fail(s, "no reply to '%s' (in-process replies are synchronous)",
                           s->last_request->str);
            }
            return NULL;
        }
        if (left <= 0 || poll(&pfd, 1, (int)MAX(left, 0)) == 0) {
            if (must) {
                qtest_fail(s, "no reply to '%s' within %d s", s->last_request->str, s->timeout_s);
            }
            return NULL;
        }
        n = read(s->rfd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0) {
            if (must) {
                reap_child(s, 1000);
                qtest_fail(s, "tern closed the connection while '%s' waited for its reply (%s)",
                           s->last_request->str,
                           !s->exited     ? "still running"
                           : s->signalled ? "killed by a signal"
                                          : "exited");
            }
            return NULL;
        }
        g_string_append_len(s->rx, buf, n);
    }
    return s->broken ? NULL : line;
}

/* Records the level an "IRQ raise|lower N" line reports; false for other lines. */
static bool note_irq_line(QTestState *s, const char *line)
{
    char **w;
    bool is_irq = g_str_has_prefix(line, "IRQ ");

    if (!is_irq) {
        return false;
    }
    w = g_strsplit(line, " ", 0);
    if (g_strv_length(w) >= 3) {
        long n = strtol(w[2], NULL, 0);
        if (n >= 0 && n < QTEST_IRQ_LEVELS) {
            s->irq_level[n] = !strcmp(w[1], "raise");
        }
    }
    g_strfreev(w);
    return true;
}

char *qtest_receive_line(QTestState *s)
{
    char *line = read_line(s, s->timeout_s * 1000, true);

    if (line) {
        note_irq_line(s, line);
    }
    return line ? line : g_strdup("");
}

char *qtest_try_receive_line(QTestState *s, int timeout_ms)
{
    char *line = read_line(s, timeout_ms, false);

    if (line) {
        note_irq_line(s, line);
    }
    return line;
}

char *qtest_receive(QTestState *s)
{
    for (;;) {
        char *line = read_line(s, s->timeout_s * 1000, true);
        if (!line) {
            return g_strdup("");
        }
        if (!note_irq_line(s, line)) {
            return line;
        }
        g_free(line);
    }
}

char *qtest_cmd(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qtest_vsendf(s, fmt, ap);
    va_end(ap);
    return qtest_receive(s);
}

/* The reply's words when it starts with "OK" and has at least nwords; else a failure (NULL). */
static char **reply_words(QTestState *s, int nwords)
{
    char *reply = qtest_receive(s);
    char **w = g_strsplit(reply, " ", 0);

    if (s->broken) {
        g_free(reply);
        g_strfreev(w);
        return NULL;
    }
    if (!w[0] || strcmp(w[0], "OK") || (int)g_strv_length(w) < nwords) {
        char copy[256];
        g_strlcpy(copy, reply, sizeof(copy));
        g_free(reply);
        g_strfreev(w);
        qtest_fail(s, "unexpected reply '%s' to '%s'", copy, s->last_request->str);
        return NULL;
    }
    g_free(reply);
    return w;
}

static void expect_ok(QTestState *s)
{
    g_strfreev(reply_words(s, 1));
}

static uint64_t reply_number(QTestState *s)
{
    char **w = reply_words(s, 2);
    uint64_t v = 0;
    char *end;

    if (!w) {
        return 0;
    }
    errno = 0;
    v = strtoull(w[1], &end, 0);
    if (errno || end == w[1] || *end) {
        char word[64];
        g_strlcpy(word, w[1], sizeof(word));
        g_strfreev(w);
        qtest_fail(s, "reply to '%s' has no number: '%s'", s->last_request->str, word);
        return 0;
    }
    g_strfreev(w);
    return v;
}

static int64_t reply_signed(QTestState *s)
{
    char **w = reply_words(s, 2);
    int64_t v;
    char *end;

    if (!w) {
        return 0;
    }
    errno = 0;
    v = strtoll(w[1], &end, 0);
    if (errno || end == w[1] || *end) {
        char word[64];
        g_strlcpy(word, w[1], sizeof(word));
        g_strfreev(w);
        qtest_fail(s, "reply to '%s' has no number: '%s'", s->last_request->str, word);
        return 0;
    }
    g_strfreev(w);
    return v;
}

/* ---- start and stop ------------------------------------------------------------------------- */

static QTestState *state_new(QTestTransport transport)
{
    QTestState *s = g_new0(QTestState, 1);

    s->transport = transport;
    s->rfd = s->wfd = -1;
    s->rx = g_string_new(NULL);
    s->last_request = g_string_new(NULL);
    s->line_done = true;
    s->timeout_s = QTEST_DEFAULT_TIMEOUT_S;
    return s;
}

static void state_free(QTestState *s)
{
    if (s->rfd >= 0) {
        close(s->rfd);
    }
    if (s->wfd >= 0 && s->wfd != s->rfd) {
        close(s->wfd);
    }
    g_string_free(s->rx, TRUE);
    g_string_free(s->last_request, TRUE);
    g_free(s);
}

static QTestTransport default_transport(void)
{
    const char *t = getenv("TERN_QTEST_TRANSPORT");

    if (t && !strcmp(t, "inproc")) {
        return QTEST_TRANSPORT_INPROC;
    }
    if (t && !strcmp(t, "stdio")) {
        return QTEST_TRANSPORT_STDIO;
    }
    return QTEST_TRANSPORT_UNIX;
}

/* extra_args as words; an empty or blank string has none. */
static char **split_args(const char *extra_args, char **error)
{
    char **argv = NULL, *copy = g_strstrip(g_strdup(extra_args ? extra_args : ""));
    GError *err = NULL;
    bool blank = !*copy;

    g_free(copy);
    if (blank) {
        return g_new0(char *, 1);
    }
    if (!g_shell_parse_argv(extra_args, NULL, &argv, &err)) {
        *error = g_strdup(err->message);
        g_error_free(err);
        return NULL;
    }
    return argv;
}

static void fail_bad_args(const char *extra_args, char *parse_error)
{
    char msg[256];

    g_strlcpy(msg, parse_error, sizeof(msg));
    g_free(parse_error);
    qtest_fail(NULL, "cannot parse arguments '%s': %s", extra_args, msg);
}

static char *server_binary(void)
{
    const char *bin = getenv("QTEST_QEMU_BINARY");
    const char *root = getenv("TERN_BUILD_ROOT");

    if (bin && *bin) {
        return g_strdup(bin);
    }
    if (root && *root) {
        return g_build_filename(root, "tern", NULL);
    }
    return g_strdup("tern");
}

static bool handshake(QTestState *s)
{
    char **w;

    qtest_sendf(s, "endianness\n");
    w = reply_words(s, 2);
    if (!w) {
        return false;
    }
    if (strcmp(w[1], "big") && strcmp(w[1], "little")) {
        char word[64];
        g_strlcpy(word, w[1], sizeof(word));
        g_strfreev(w);
        qtest_fail(s, "endianness reply names '%s'", word);
        return false;
    }
    s->big_endian = !strcmp(w[1], "big");
    g_strfreev(w);
    return true;
}

/*
 * Whether the arguments already name an accelerator (-accel, or -machine/-M
 * with accel=): the fuzz targets' command lines carry QEMU's
 * "-machine accel=qtest", and naming it twice is refused.
 */
static bool args_name_accel(char **args)
{
    for (char **a = args; *a; a++) {
        const char *opt = **a == '-' && (*a)[1] == '-' ? *a + 1 : *a;
        if (!strcmp(opt, "-accel")) {
            return true;
        }
        if ((!strcmp(opt, "-machine") || !strcmp(opt, "-M")) && a[1]) {
            gchar **parts = g_strsplit(a[1], ",", -1);
            bool has = false;
            for (gchar **p = parts; *p && !has; p++) {
                has = g_str_has_prefix(*p, "accel=");
            }
            g_strfreev(parts);
            if (has) {
                return true;
            }
        }
    }
    return false;
}

static QTestState *init_inproc(const char *extra_args, bool do_handshake)
{
    QTestState *s;
    GPtrArray *argv;
    char **extra, *parse_error = NULL;
    Error *err = NULL;
    TernInitResult r;

    if (inproc_state) {
        qtest_fail(NULL, "only one in-process qtest state at a time");
        return NULL;
    }
    extra = split_args(extra_args, &parse_error);
    if (!extra) {
        fail_bad_args(extra_args, parse_error);
        return NULL;
    }
    s = state_new(QTEST_TRANSPORT_INPROC);
    inproc_state = s;
    /* The server exists before the machine: endianness is answered at any time. */
    s->server = qtest_server_new(inproc_collect, s);
    qtest_server_set_log(s->server, getenv("QTEST_LOG") ? stderr : NULL, false);
    qtest_server_set_log_requests_only(s->server, true); /* the fuzzers' log (fuzzing.md §6.7) */
    qtest_server_open(s->server);
    if (do_handshake && !handshake(s)) {
        g_strfreev(extra);
        return s;
    }
    argv = g_ptr_array_new();
    g_ptr_array_add(argv, "tern");
    g_ptr_array_add(argv, "-nouserconfig");
    for (char **a = extra; *a; a++) {
        g_ptr_array_add(argv, *a);
    }
    if (!args_name_accel(extra)) {
        g_ptr_array_add(argv, "-accel");
        g_ptr_array_add(argv, "qtest");
    }
    g_ptr_array_add(argv, NULL);
    r = tern_init((int)argv->len - 1, (char **)argv->pdata, &err);
    g_ptr_array_free(argv, TRUE);
    g_strfreev(extra);
    if (r != TERN_INIT_RUN) {
        char msg[512];
        g_strlcpy(msg, err ? error_get_pretty(err) : "nothing to run", sizeof(msg));
        error_free(err);
        qtest_fail(s, "tern_init with '%s' failed: %s", extra_args ? extra_args : "", msg);
    }
    return s;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Waits for the spawned server to connect; -1 (after a failure) if it does not. */
static int accept_server(QTestState *s, int listen_fd)
{
    int64_t deadline = now_ms() + (int64_t)s->timeout_s * 1000;

    for (;;) {
        struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
        int64_t left = deadline - now_ms();
        int fd;

        if (left <= 0) {
            qtest_fail(s, "tern did not connect within %d s", s->timeout_s);
            return -1;
        }
        if (poll(&pfd, 1, (int)MIN(left, 100)) > 0) {
            /* Non-blocking: a write to a server that stops reading must meet its deadline. */
            fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd >= 0) {
                return fd;
            }
        }
        if (reap_child(s, 0)) {
            qtest_fail(s, "tern ended with status %d before connecting (see its stderr)",
                       s->status);
            return -1;
        }
    }
}

static QTestState *init_spawn(QTestTransport transport, const char *extra_args, bool do_handshake)
{
    QTestState *s;
    GPtrArray *argv;
    char **extra, *parse_error = NULL, *binary, *sock_path = NULL, *qtest_arg;
    const char *base;
    int listen_fd = -1, to_child[2] = {-1, -1}, from_child[2] = {-1, -1};
    pid_t parent = getpid(), pid;

    extra = split_args(extra_args, &parse_error);
    if (!extra) {
        fail_bad_args(extra_args, parse_error);
        return NULL;
    }
    signal(SIGPIPE, SIG_IGN); /* a dead server is reported, not fatal */
    s = state_new(transport);
    binary = server_binary();
    if (transport == QTEST_TRANSPORT_UNIX) {
        sock_path = g_strdup_printf("%s/tern-qtest-%d-%u.sock", g_get_tmp_dir(), (int)parent,
                                    socket_counter++);
        listen_fd = listen_unix(sock_path);
        if (listen_fd < 0) {
            qtest_fail(s, "cannot listen on '%s': %s", sock_path, g_strerror(errno));
            g_free(sock_path);
            g_free(binary);
            g_strfreev(extra);
            return s;
        }
        qtest_arg = g_strdup_printf("unix:%s", sock_path);
    } else {
        if (pipe2(to_child, O_CLOEXEC) < 0 || pipe2(from_child, O_CLOEXEC) < 0) {
            qtest_fail(s, "cannot make pipes: %s", g_strerror(errno));
            g_free(binary);
            g_strfreev(extra);
            return s;
        }
        qtest_arg = g_strdup("stdio");
    }
    argv = g_ptr_array_new();
    g_ptr_array_add(argv, binary);
    base = strrchr(binary, '/') ? strrchr(binary, '/') + 1 : binary;
    if (g_str_has_prefix(base, "tern")) {
        g_ptr_array_add(argv, "-nouserconfig");
    }
    g_ptr_array_add(argv, "-qtest");
    g_ptr_array_add(argv, qtest_arg);
    g_ptr_array_add(argv, "-qtest-log");
    g_ptr_array_add(argv, getenv("QTEST_LOG") ? "/dev/fd/2" : "/dev/null");
    for (char **a = extra; *a; a++) {
        g_ptr_array_add(argv, *a);
    }
    if (!args_name_accel(extra)) {
        g_ptr_array_add(argv, "-accel");
        g_ptr_array_add(argv, "qtest");
    }
    g_ptr_array_add(argv, NULL);

    pid = fork();
    if (pid == 0) {
        /* Only async-signal-safe calls from here to exec. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
        if (transport == QTEST_TRANSPORT_STDIO) {
            dup2(to_child[0], STDIN_FILENO);
            dup2(from_child[1], STDOUT_FILENO);
        } else {
            dup2(STDERR_FILENO, STDOUT_FILENO); /* keep the test's TAP stream clean */
        }
        execv(binary, (char **)argv->pdata);
        _exit(127);
    }
    g_ptr_array_free(argv, TRUE);
    g_strfreev(extra);
    g_free(qtest_arg);
    g_free(binary);
    if (pid < 0) {
        qtest_fail(s, "cannot fork: %s", g_strerror(errno));
    } else {
        s->pid = pid;
    }
    if (transport == QTEST_TRANSPORT_STDIO) {
        close(to_child[0]);
        close(from_child[1]);
        /* Non-blocking: else a long request to a server that stops reading blocks in write(). */
        g_unix_set_fd_nonblocking(to_child[1], TRUE, NULL);
        s->wfd = to_child[1];
        s->rfd = from_child[0];
    } else {
        if (pid > 0) {
            s->rfd = s->wfd = accept_server(s, listen_fd);
        }
        close(listen_fd);
        unlink(sock_path);
        g_free(sock_path);
    }
    if (!s->broken && do_handshake) {
        handshake(s);
    }
    return s;
}

QTestState *qtest_init_without_handshake(QTestTransport transport, const char *extra_args)
{
    if (transport == QTEST_TRANSPORT_DEFAULT) {
        transport = default_transport();
    }
    return transport == QTEST_TRANSPORT_INPROC ? init_inproc(extra_args, false)
                                               : init_spawn(transport, extra_args, false);
}

QTestState *qtest_init_transport(QTestTransport transport, const char *extra_args)
{
    if (transport == QTEST_TRANSPORT_DEFAULT) {
        transport = default_transport();
    }
    return transport == QTEST_TRANSPORT_INPROC ? init_inproc(extra_args, true)
                                               : init_spawn(transport, extra_args, true);
}

QTestState *qtest_init(const char *extra_args)
{
    return qtest_init_transport(QTEST_TRANSPORT_DEFAULT, extra_args);
}

QTestState *qtest_initf(const char *fmt, ...)
{
    va_list ap;
    char *args;
    QTestState *s;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    s = qtest_init(args);
    g_free(args);
    return s;
}

void qtest_set_expected_status(QTestState *s, int status)
{
    s->expected_status = status;
}

/* ---- in-process sessions reset by a fuzzer ----------------------------------------------------
 */

void qtest_inproc_save(QTestState *s)
{
    memcpy(s->saved_irq_level, s->irq_level, sizeof(s->saved_irq_level));
    qtest_server_session_save(s->server);
}

void qtest_inproc_restore(QTestState *s)
{
    memcpy(s->irq_level, s->saved_irq_level, sizeof(s->irq_level));
    g_string_truncate(s->rx, 0);
    s->exited = false;
    s->status = 0;
    s->line_done = true;
    s->broken = false; /* in-process nothing was killed: a failed reply was reported, that is all */
    qtest_server_session_restore(s->server);
}

char *qtest_inproc_check(QTestState *s)
{
    Error *err = NULL;
    char *msg;

    if (memcmp(s->saved_irq_level, s->irq_level, sizeof(s->irq_level))) {
        return g_strdup("qtest client: the IRQ levels differ from the saved session");
    }
    if (s->rx->len) {
        return g_strdup("qtest client: unread replies are left");
    }
    if (qtest_server_session_check(s->server, &err)) {
        return NULL;
    }
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

bool qtest_broken(const QTestState *s)
{
    return s->broken;
}

QTestTransport qtest_transport(const QTestState *s)
{
    return s->transport;
}

int qtest_pid(const QTestState *s)
{
    return (int)s->pid;
}

void qtest_set_timeout(QTestState *s, int seconds)
{
    s->timeout_s = seconds > 0 ? seconds : QTEST_DEFAULT_TIMEOUT_S;
}

int qtest_wait_exit(QTestState *s, int timeout_ms)
{
    if (s->transport == QTEST_TRANSPORT_INPROC) {
        qtest_inproc_process_requests(s);
    } else {
        reap_child(s, timeout_ms);
    }
    if (!s->exited) {
        qtest_fail(s, "tern did not exit within %d ms", timeout_ms);
        return -1;
    }
    return s->status;
}

void qtest_quit(QTestState *s)
{
    bool check, signalled;
    int status, expected;

    if (!s) {
        return;
    }
    if (s->transport == QTEST_TRANSPORT_INPROC) {
        /* As SIGTERM would: status 0, unless the guest asked for an exit already. */
        qtest_inproc_process_requests(s);
        if (!s->exited) {
            s->exited = true;
            s->status = 0;
        }
        qtest_server_free(s->server);
        tern_cleanup();
        inproc_state = NULL;
    } else if (s->pid && !s->exited) {
        kill(s->pid, SIGTERM);
        if (!reap_child(s, QUIT_TIMEOUT_MS)) {
            kill(s->pid, SIGKILL);
            reap_child(s, QUIT_TIMEOUT_MS);
        }
    }
    check = !s->broken && (s->pid || s->transport == QTEST_TRANSPORT_INPROC);
    signalled = s->signalled;
    status = s->status;
    expected = s->expected_status;
    state_free(s);
    if (check && signalled) {
        qtest_fail(NULL, "tern was killed by signal %d", status - 128);
    } else if (check && status != expected) {
        qtest_fail(NULL, "tern exited with status %d, expected %d", status, expected);
    }
}

/* ---- libqtest's API ------------------------------------------------------------------------- */

bool qtest_big_endian(QTestState *s)
{
    return s->big_endian;
}

/* Port and memory accesses share one wire format: "CMD ADDR [VALUE]". */
static void write_mem(QTestState *s, const char *cmd, uint64_t addr, uint64_t value)
{
    qtest_sendf(s, "%s 0x%" PRIx64 " 0x%" PRIx64 "\n", cmd, addr, value);
    expect_ok(s);
}

static uint64_t read_mem(QTestState *s, const char *cmd, uint64_t addr)
{
    qtest_sendf(s, "%s 0x%" PRIx64 "\n", cmd, addr);
    return reply_number(s);
}

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value)
{
    write_mem(s, "outb", addr, value);
}

void qtest_outw(QTestState *s, uint16_t addr, uint16_t value)
{
    write_mem(s, "outw", addr, value);
}

void qtest_outl(QTestState *s, uint16_t addr, uint32_t value)
{
    write_mem(s, "outl", addr, value);
}

uint8_t qtest_inb(QTestState *s, uint16_t addr)
{
    return (uint8_t)read_mem(s, "inb", addr);
}

uint16_t qtest_inw(QTestState *s, uint16_t addr)
{
    return (uint16_t)read_mem(s, "inw", addr);
}

uint32_t qtest_inl(QTestState *s, uint16_t addr)
{
    return (uint32_t)read_mem(s, "inl", addr);
}

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value)
{
    write_mem(s, "writeb", addr, value);
}

void qtest_writew(QTestState *s, uint64_t addr, uint16_t value)
{
    write_mem(s, "writew", addr, value);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t value)
{
    write_mem(s, "writel", addr, value);
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value)
{
    write_mem(s, "writeq", addr, value);
}

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return (uint8_t)read_mem(s, "readb", addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return (uint16_t)read_mem(s, "readw", addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return (uint32_t)read_mem(s, "readl", addr);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return read_mem(s, "readq", addr);
}

static int nibble(char c)
{
    return g_ascii_xdigit_value(c);
}

void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    uint8_t *p = data;
    char **w;

    memset(data, 0, size);
    if (!size) {
        return;
    }
    qtest_sendf(s, "read 0x%" PRIx64 " 0x%zx\n", addr, size);
    w = reply_words(s, 2);
    if (!w) {
        return;
    }
    if (strlen(w[1]) != 2 + 2 * size || strncmp(w[1], "0x", 2)) {
        g_strfreev(w);
        qtest_fail(s, "reply to '%s' does not hold %zu bytes", s->last_request->str, size);
        return;
    }
    for (size_t i = 0; i < size; i++) {
        int hi = nibble(w[1][2 + 2 * i]), lo = nibble(w[1][3 + 2 * i]);
        p[i] = (uint8_t)((hi < 0 ? 0 : hi) << 4 | (lo < 0 ? 0 : lo));
    }
    g_strfreev(w);
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *data, size_t size)
{
    const uint8_t *p = data;
    GString *req;

    if (!size) {
        return;
    }
    req = g_string_sized_new(64 + 2 * size);
    g_string_printf(req, "write 0x%" PRIx64 " 0x%zx 0x", addr, size);
    for (size_t i = 0; i < size; i++) {
        g_string_append_printf(req, "%02x", p[i]);
    }
    g_string_append_c(req, '\n');
    qtest_send_bytes(s, req->str, req->len);
    g_string_free(req, TRUE);
    expect_ok(s);
}

void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    char **w;
    guchar *decoded;
    gsize len = 0;

    memset(data, 0, size);
    qtest_sendf(s, "b64read 0x%" PRIx64 " 0x%zx\n", addr, size);
    w = reply_words(s, 2);
    if (!w) {
        return;
    }
    decoded = g_base64_decode(w[1], &len);
    g_strfreev(w);
    if (len != size) {
        g_free(decoded);
        qtest_fail(s, "reply to '%s' decodes to %zu bytes", s->last_request->str, (size_t)len);
        return;
    }
    memcpy(data, decoded, size);
    g_free(decoded);
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data, size_t size)
{
    char *b64 = g_base64_encode(data, size);

    /* Three pieces, as libqtest sends them: the server must wait for the '\n'. */
    qtest_sendf(s, "b64write 0x%" PRIx64 " 0x%zx ", addr, size);
    qtest_send_bytes(s, b64, strlen(b64));
    qtest_send_bytes(s, "\n", 1);
    g_free(b64);
    expect_ok(s);
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern, size_t size)
{
    qtest_sendf(s, "memset 0x%" PRIx64 " 0x%zx 0x%02x\n", addr, size, pattern);
    expect_ok(s);
}

int64_t qtest_clock_step_next(QTestState *s)
{
    qtest_sendf(s, "clock_step\n");
    return reply_signed(s);
}

int64_t qtest_clock_step(QTestState *s, int64_t step)
{
    qtest_sendf(s, "clock_step %" PRIi64 "\n", step);
    return reply_signed(s);
}

int64_t qtest_clock_set(QTestState *s, int64_t val)
{
    qtest_sendf(s, "clock_set %" PRIi64 "\n", val);
    return reply_signed(s);
}

void qtest_irq_intercept_in(QTestState *s, const char *qom_path)
{
    qtest_sendf(s, "irq_intercept_in %s\n", qom_path);
    expect_ok(s);
}

void qtest_irq_intercept_out(QTestState *s, const char *qom_path)
{
    qtest_sendf(s, "irq_intercept_out %s\n", qom_path);
    expect_ok(s);
}

void qtest_irq_intercept_out_named(QTestState *s, const char *qom_path, const char *name)
{
    qtest_sendf(s, "irq_intercept_out %s %s\n", qom_path, name);
    expect_ok(s);
}

void qtest_set_irq_in(QTestState *s, const char *qom_path, const char *name, int num, int level)
{
    qtest_sendf(s, "set_irq_in %s %s %d %d\n", qom_path, name ? name : "unnamed-gpio-in", num,
                level);
    expect_ok(s);
}

bool qtest_get_irq(QTestState *s, int num)
{
    if (num < 0 || num >= QTEST_IRQ_LEVELS) {
        qtest_fail(s, "IRQ line %d is beyond the level table (%d lines)", num, QTEST_IRQ_LEVELS);
        return false;
    }
    /* A round trip first, so that every IRQ line the server sent has been read. */
    qtest_inb(s, 0);
    return s->irq_level[num] != 0;
}
