/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-record.c - tern -record FILE as a user runs it: the trace a spawned
 * $TERN_BUILD_ROOT/tern writes for a qtest session over stdio and over a
 * unix socket, a QMP session, console output, a start-up error, a SIGTERM,
 * a SIGKILL and a client that goes away; and that recording changes
 * nothing a client sees.  The trace format is docs/replay.md's.
 *
 * Every test checks the file's lines exactly where they are deterministic
 * (the checkpoint digest and QMP's greeting and timestamps are checked for
 * their shape), and that every line of it is complete.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/support/unix-sock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#define TIMEOUT_MS 20000
#define BASE_ARGS  "-nouserconfig -M virt -accel qtest -bios none -nodefaults"
#define HART0      "/machine/soc0/harts[0]"
#define PLIC_PATH  "/machine/unattached/device[2]"

/* ---- one spawned tern at a time ---------------------------------------------------- */

typedef struct Run {
    char *dir;
    char *trace;   /* dir/run.trace */
    char *sock;    /* dir/s.sock */
    GPid pid;      /* 0: none running */
    int in, out;   /* its stdin and stdout, -1 when not piped */
    int peer;      /* a socket connected to it, or -1 */
    int listen_fd; /* for -qtest unix:PATH (tern is the client) */
    GString *got;  /* stdout or socket bytes read, not yet consumed */
    char *err;     /* stderr file */
} Run;

static Run run;

static const char *binary(void)
{
    static char *path;

    if (!path) {
        const char *root = getenv("TERN_BUILD_ROOT");
        path = g_build_filename(root ? root : ".", "tern", NULL);
    }
    return path;
}

static int run_setup(void **state)
{
    run.dir = g_dir_make_tmp("tern-record-XXXXXX", NULL);
    assert_non_null(run.dir);
    run.trace = g_build_filename(run.dir, "run.trace", NULL);
    run.sock = g_build_filename(run.dir, "s.sock", NULL);
    run.err = g_build_filename(run.dir, "stderr.txt", NULL);
    run.in = run.out = run.peer = run.listen_fd = -1;
    run.got = g_string_new(NULL);
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static int run_teardown(void **state)
{
    if (run.pid) {
        kill(run.pid, SIGKILL);
        waitpid(run.pid, NULL, 0);
        run.pid = 0;
    }
    close_fd(&run.in);
    close_fd(&run.out);
    close_fd(&run.peer);
    close_fd(&run.listen_fd);
    g_unlink(run.trace);
    g_unlink(run.sock);
    g_unlink(run.err);
    g_rmdir(run.dir);
    g_free(run.trace);
    g_free(run.sock);
    g_free(run.err);
    g_free(run.dir);
    g_string_free(run.got, TRUE);
    memset(&run, 0, sizeof(run));
    return 0;
}

/* "@SOCK@", "@TRACE@" and "@DIR@" in args are replaced by this run's paths. */
static char *expand(const char *args)
{
    char *quoted_sock = g_shell_quote(run.sock), *quoted_trace = g_shell_quote(run.trace);
    char *quoted_dir = g_shell_quote(run.dir);
    gchar **a = g_strsplit(args, "@SOCK@", -1);
    char *s1 = g_strjoinv(quoted_sock, a);
    gchar **b = g_strsplit(s1, "@TRACE@", -1);
    char *s2 = g_strjoinv(quoted_trace, b);
    gchar **c = g_strsplit(s2, "@DIR@", -1);
    char *s3 = g_strjoinv(quoted_dir, c);

    g_strfreev(a);
    g_strfreev(b);
    g_strfreev(c);
    g_free(s1);
    g_free(s2);
    g_free(quoted_sock);
    g_free(quoted_trace);
    g_free(quoted_dir);
    return s3;
}

/* Starts tern ARGS (expanded) with stdin and stdout piped, stderr to run.err. */
static void spawn(const char *args)
{
    char *expanded = expand(args);
    char *cmdline = g_strdup_printf("'%s' %s", binary(), expanded);
    char **argv = NULL;
    GError *gerr = NULL;
    int err_fd = open(run.err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in_pipe[2], out_pipe[2];
    pid_t pid;

    assert_true(err_fd >= 0);
    if (!g_shell_parse_argv(cmdline, NULL, &argv, &gerr)) {
        fail_msg("bad command line %s: %s", cmdline, gerr->message);
    }
    assert_int_equal(pipe2(in_pipe, O_CLOEXEC), 0);
    assert_int_equal(pipe2(out_pipe, O_CLOEXEC), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_fd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_fd);
    run.pid = pid;
    run.in = in_pipe[1];
    run.out = out_pipe[0];
    fcntl(run.out, F_SETFL, O_NONBLOCK);
    g_strfreev(argv);
    g_free(cmdline);
    g_free(expanded);
}

/* The exit status (128 + N for signal N), or fails after TIMEOUT_MS. */
static int wait_exit(void)
{
    for (int waited = 0; waited < TIMEOUT_MS; waited += 5) {
        int status;

        if (waitpid(run.pid, &status, WNOHANG) == run.pid) {
            run.pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        g_usleep(5000);
    }
    fail_msg("tern did not end");
    return -1;
}

static void send_all(int fd, const char *text)
{
    size_t len = strlen(text), done = 0;

    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        assert_true(n > 0);
        done += (size_t)n;
    }
}

/* Reads from fd into run.got until it holds a complete line that ends_reply accepts. */
static char *read_reply(int fd, bool (*ends_reply)(const char *line))
{
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        char buf[4096];
        ssize_t n;
        const char *start = run.got->str;
        const char *nl;

        while ((nl = strchr(start, '\n'))) {
            char *line = g_strndup(start, nl - start);
            bool end = ends_reply(line);

            g_free(line);
            start = nl + 1;
            if (end) {
                size_t len = start - run.got->str;
                char *reply = g_strndup(run.got->str, len);
                g_string_erase(run.got, 0, len);
                return reply;
            }
        }
        if (poll(&p, 1, TIMEOUT_MS) <= 0) {
            fail_msg("no reply (got so far: '%s')", run.got->str);
        }
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            continue;
        }
        if (n <= 0) {
            fail_msg("end of output (got so far: '%s')", run.got->str);
        }
        g_string_append_len(run.got, buf, n);
    }
}

static bool qtest_final(const char *line)
{
    return g_str_has_prefix(line, "OK") || g_str_has_prefix(line, "FAIL") ||
           g_str_has_prefix(line, "ERR");
}

/* One qtest command (with its '\n') and its whole reply, IRQ lines included. */
static char *qtest_cmd(int in, int out, const char *cmd)
{
    send_all(in, cmd);
    return read_reply(out, qtest_final);
}

static void expect_qtest(int in, int out, const char *cmd, const char *reply)
{
    char *got = qtest_cmd(in, out, cmd);

    assert_string_equal(got, reply);
    g_free(got);
}

/* The trace's lines; every line must end with '\n' (none cut short). */
static gchar **trace_lines(void)
{
    char *text = NULL;
    gsize len = 0;
    gchar **lines;

    assert_true(g_file_get_contents(run.trace, &text, &len, NULL));
    assert_true(len > 0);
    assert_int_equal(text[len - 1], '\n');
    text[len - 1] = '\0';
    lines = g_strsplit(text, "\n", -1);
    g_free(text);
    return lines;
}

static bool is_digest(const char *line)
{
    if (!g_str_has_prefix(line, "checkpoint ") || strlen(line) != 11 + 64) {
        return false;
    }
    for (const char *p = line + 11; *p; p++) {
        if (!g_ascii_isxdigit(*p)) {
            return false;
        }
    }
    return true;
}

/* lines equals expected (NULL-terminated); "@CHECKPOINT@" matches any checkpoint line. */
static void assert_lines(gchar **lines, const char *const *expected)
{
    size_t i = 0;

    for (; expected[i]; i++) {
        if (!lines[i]) {
            fail_msg("trace ends at line %zu, expected '%s'", i + 1, expected[i]);
        }
        if (!strcmp(expected[i], "@CHECKPOINT@")) {
            if (!is_digest(lines[i])) {
                fail_msg("line %zu: '%s' is not a checkpoint", i + 1, lines[i]);
            }
            continue;
        }
        if (strcmp(lines[i], expected[i])) {
            fail_msg("line %zu: got '%s', expected '%s'", i + 1, lines[i], expected[i]);
        }
    }
    if (lines[i]) {
        fail_msg("line %zu: '%s' after the expected end", i + 1, lines[i]);
    }
}

static char *args_line(const char *args)
{
    return g_strdup_printf("args %s", args);
}

/* ---- qtest over stdio ------------------------------------------------------------------ */

#define QTEST_STDIO_ARGS BASE_ARGS " -qtest stdio -qtest-log none"

/* The session both qtest tests run: an IRQ line, the clock moved, a read after it. */
static void qtest_session(int in, int out)
{
    expect_qtest(in, out, "irq_intercept_in " HART0 "\n", "OK\n");
    expect_qtest(in, out, "writel 0xc000028 0x1\n", "OK\n");
    expect_qtest(in, out, "writel 0xc002000 0x400\n", "OK\n");
    expect_qtest(in, out, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "IRQ raise 11\nOK\n");
    expect_qtest(in, out, "clock_step 1000\n", "OK 1000\n");
    expect_qtest(in, out, "readb 0x10000005\n", "OK 0x0000000000000060\n");
}

#define QTEST_SESSION_LINES(id)                                                                    \
    "in " id " irq_intercept_in " HART0, "out " id " OK", "in " id " writel 0xc000028 0x1",        \
        "out " id " OK", "in " id " writel 0xc002000 0x400", "out " id " OK",                      \
        "in " id " set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1", "out " id " IRQ raise 11",      \
        "out " id " OK", "in " id " clock_step 1000", "out " id " OK 1000", "time 1000",           \
        "in " id " readb 0x10000005", "out " id " OK 0x0000000000000060"

static void test_qtest_stdio_session_is_recorded_line_by_line(void **state)
{
    gchar **lines;
    char *args = args_line(QTEST_STDIO_ARGS);
    const char *const expected[] = {
        "tern-trace 1", args, QTEST_SESSION_LINES("qtest"), "signal 15", "@CHECKPOINT@",
        "exit 0",       NULL};

    spawn("-record @TRACE@ " QTEST_STDIO_ARGS);
    qtest_session(run.in, run.out);
    /* The loop ends normally on SIGTERM: the run's end is recorded. */
    kill(run.pid, SIGTERM);
    assert_int_equal(wait_exit(), 0);
    lines = trace_lines();
    assert_lines(lines, expected);
    g_strfreev(lines);
    g_free(args);
}

/* The qtest server answers the same with and without -record, byte for byte. */
static void test_recording_changes_no_reply(void **state)
{
    static const char *const script[] = {
        "irq_intercept_in " HART0 "\n",
        "writel 0xc000028 0x1\n",
        "writel 0xc002000 0x400\n",
        "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n",
        "clock_step 1000\n",
        "readq 0x10000000\n",
        "writeb 0x10000001 0x0f\n",
        "bogus command\n",
        "memset 0x80000000 16 0x5a\n",
        "read 0x80000000 16\n",
        "clock_step\n",
    };
    GString *replies[2];

    for (int with = 0; with < 2; with++) {
        replies[with] = g_string_new(NULL);
        spawn(with ? "-record @TRACE@ " QTEST_STDIO_ARGS : QTEST_STDIO_ARGS);
        for (size_t i = 0; i < G_N_ELEMENTS(script); i++) {
            char *r = qtest_cmd(run.in, run.out, script[i]);
            g_string_append(replies[with], r);
            g_free(r);
        }
        kill(run.pid, SIGTERM);
        assert_int_equal(wait_exit(), 0);
        close_fd(&run.in);
        close_fd(&run.out);
    }
    assert_true(replies[0]->len > 100);
    assert_string_equal(replies[1]->str, replies[0]->str);
    g_string_free(replies[0], TRUE);
    g_string_free(replies[1], TRUE);
}

/* ---- qtest over a unix socket: tern connects to the test (libqtest's way) --------------- */

static int listen_unix(const char *path)
{
    return usock_listen(path);
}

static int accept_timeout(int lfd)
{
    return usock_accept(lfd, TIMEOUT_MS, SOCK_NONBLOCK);
}

/* Waits until the trace's last line is last (the recorder writes as things happen). */
static void wait_for_last_line(const char *last)
{
    for (int waited = 0; waited < TIMEOUT_MS; waited += 5) {
        char *text = NULL;
        gsize len = 0;

        if (g_file_get_contents(run.trace, &text, &len, NULL) && len > strlen(last) &&
            g_str_has_suffix(text, last) && text[len - strlen(last) - 1] == '\n') {
            g_free(text);
            return;
        }
        g_free(text);
        g_usleep(5000);
    }
    fail_msg("the trace never ended with '%s'", last);
}

static void test_qtest_socket_session_and_disconnect(void **state)
{
    gchar **lines;
    char *args;
    char *expanded;

    run.listen_fd = listen_unix(run.sock);
    spawn("-record @TRACE@ " BASE_ARGS " -qtest unix:@SOCK@ -qtest-log none");
    run.peer = accept_timeout(run.listen_fd);
    qtest_session(run.peer, run.peer);
    /* The client goes away: "close qtest", and tern, as QEMU, serves on (no new client). */
    close_fd(&run.peer);
    wait_for_last_line("close qtest\n");
    g_usleep(50000);
    assert_int_equal(waitpid(run.pid, NULL, WNOHANG), 0);
    kill(run.pid, SIGTERM);
    assert_int_equal(wait_exit(), 0);

    expanded = g_strdup_printf("%s -qtest unix:%s -qtest-log none", BASE_ARGS, run.sock);
    args = args_line(expanded);
    {
        const char *const expected[] = {"tern-trace 1", args,        QTEST_SESSION_LINES("qtest"),
                                        "close qtest",  "signal 15", "@CHECKPOINT@",
                                        "exit 0",       NULL};
        lines = trace_lines();
        assert_lines(lines, expected);
    }
    g_strfreev(lines);
    g_free(args);
    g_free(expanded);
}

/* ---- QMP over -qmp unix:PATH,server=on,wait=off ------------------------------------------ */

static int connect_retry(const char *path)
{
    int fd = usock_connect_retry(path, TIMEOUT_MS, 0);

    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static bool qmp_line(const char *line)
{
    return true; /* every QMP message is one line */
}

static bool qmp_not_event(const char *line)
{
    return !strstr(line, "\"event\"");
}

static void test_qmp_session_is_recorded(void **state)
{
    gchar **lines;
    char *r;
    size_t i = 0;
    static const char *const middle[] = {
        "in compat_monitor0 {\"execute\": \"qmp_capabilities\"}",
        "out compat_monitor0 {\"return\": {}}\\r",
        "in compat_monitor0 {\"execute\": \"query-status\"}",
        "out compat_monitor0 {\"return\": {\"running\": true, \"singlestep\": false, \"status\": "
        "\"running\"}}\\r",
        "in compat_monitor0 {\"execute\": \"stop\"}",
        NULL,
    };

    spawn("-record @TRACE@ " BASE_ARGS " -qmp unix:@SOCK@,server=on,wait=off");
    run.peer = connect_retry(run.sock);
    r = read_reply(run.peer, qmp_line);
    assert_true(g_str_has_prefix(r, "{\"QMP\": "));
    g_free(r);
    send_all(run.peer, "{\"execute\": \"qmp_capabilities\"}\n");
    g_free(read_reply(run.peer, qmp_line));
    send_all(run.peer, "{\"execute\": \"query-status\"}\n");
    r = read_reply(run.peer, qmp_line);
    assert_string_equal(
        r, "{\"return\": {\"running\": true, \"singlestep\": false, \"status\": \"running\"}}\r\n");
    g_free(r);
    send_all(run.peer, "{\"execute\": \"stop\"}\n");
    r = read_reply(run.peer, qmp_not_event); /* the STOP event, then the return */
    assert_non_null(strstr(r, "\"event\": \"STOP\""));
    g_free(r);
    send_all(run.peer, "{\"execute\": \"quit\"}\n");
    assert_int_equal(wait_exit(), 0);

    lines = trace_lines();
    assert_string_equal(lines[i++], "tern-trace 1");
    assert_true(g_str_has_prefix(lines[i++], "args " BASE_ARGS " -qmp unix:"));
    /* A client after start-up: "open", then the greeting the monitor sent it. */
    assert_string_equal(lines[i++], "open compat_monitor0");
    assert_true(g_str_has_prefix(lines[i], "out compat_monitor0 {\"QMP\": {\"version\": "));
    assert_true(g_str_has_suffix(lines[i++], "}\\r"));
    for (size_t m = 0; middle[m]; m++, i++) {
        assert_non_null(lines[i]);
        assert_string_equal(lines[i], middle[m]);
    }
    /* Events carry a host timestamp, read through the host clock's seam: recorded first. */
    assert_true(g_str_has_prefix(lines[i++], "hostclock "));
    assert_true(g_str_has_prefix(lines[i], "out compat_monitor0 {\"timestamp\": {\"seconds\": "));
    assert_true(g_str_has_suffix(lines[i++], "\"event\": \"STOP\"}\\r"));
    assert_string_equal(lines[i++], "out compat_monitor0 {\"return\": {}}\\r");
    assert_string_equal(lines[i++], "in compat_monitor0 {\"execute\": \"quit\"}");
    /* quit: the event first, then the reply, as QEMU 7.2. */
    assert_true(g_str_has_prefix(lines[i++], "hostclock "));
    assert_true(g_str_has_suffix(lines[i++], "\"event\": \"SHUTDOWN\", \"data\": {\"guest\": "
                                             "false, \"reason\": \"host-qmp-quit\"}}\\r"));
    assert_string_equal(lines[i++], "out compat_monitor0 {\"return\": {}}\\r");
    assert_true(is_digest(lines[i++]));
    assert_string_equal(lines[i++], "exit 0");
    assert_null(lines[i]);
    g_strfreev(lines);
}

/* ---- console output ------------------------------------------------------------------- */

static void test_serial_output_is_recorded_under_its_chardev(void **state)
{
    gchar **lines;
    char *args = args_line(QTEST_STDIO_ARGS " -serial file:out.txt");
    const char *const expected[] = {
        "tern-trace 1",        args,           "in qtest writeb 0x10000000 0x68",
        "out serial0 h\\c",    "out qtest OK", "in qtest writeb 0x10000000 0x0a",
        "out serial0",         "out qtest OK", "in qtest writeb 0x10000000 0x5c",
        "out serial0 \\\\\\c", "out qtest OK", "signal 15",
        "@CHECKPOINT@",        "exit 0",       NULL};
    char *out_path = g_build_filename(run.dir, "out.txt", NULL);
    char *cwd = g_get_current_dir();
    char *content = NULL;

    /* A relative file name, so that the args line is the same on every run. */
    assert_int_equal(chdir(run.dir), 0);
    spawn("-record @TRACE@ " QTEST_STDIO_ARGS " -serial file:out.txt");
    assert_int_equal(chdir(cwd), 0);
    expect_qtest(run.in, run.out, "writeb 0x10000000 0x68\n", "OK\n");
    expect_qtest(run.in, run.out, "writeb 0x10000000 0x0a\n", "OK\n");
    expect_qtest(run.in, run.out, "writeb 0x10000000 0x5c\n", "OK\n");
    kill(run.pid, SIGTERM);
    assert_int_equal(wait_exit(), 0);
    lines = trace_lines();
    assert_lines(lines, expected);
    /* Recorded and still written where -serial said. */
    assert_true(g_file_get_contents(out_path, &content, NULL, NULL));
    assert_string_equal(content, "h\n\\");
    g_unlink(out_path);
    g_strfreev(lines);
    g_free(content);
    g_free(out_path);
    g_free(cwd);
    g_free(args);
}

/* ---- start-up ------------------------------------------------------------------------- */

static char *read_stderr(void)
{
    char *text = NULL;

    assert_true(g_file_get_contents(run.err, &text, NULL, NULL));
    return text;
}

static void test_startup_error_is_recorded_as_printed(void **state)
{
    gchar **lines;
    char *err, *error_line;

    spawn("-record @TRACE@ -nouserconfig -M nosuch-board -m 64M");
    assert_int_equal(wait_exit(), 1);
    err = read_stderr();
    assert_true(g_str_has_prefix(err, "tern: "));
    assert_true(g_str_has_suffix(err, "\n"));
    assert_ptr_equal(strchr(err, '\n'), err + strlen(err) - 1); /* one line */
    err[strlen(err) - 1] = '\0';
    error_line = g_strdup_printf("error %s", err + 6);
    {
        const char *const expected[] = {"tern-trace 1", "args -nouserconfig -M nosuch-board -m 64M",
                                        error_line, "exit 1", NULL};
        lines = trace_lines();
        assert_lines(lines, expected);
    }
    g_strfreev(lines);
    g_free(error_line);
    g_free(err);
}

static void test_unopenable_recording_is_one_error_line(void **state)
{
    char *err;

    spawn("-record @DIR@/no/such/dir/x.trace " QTEST_STDIO_ARGS);
    assert_int_equal(wait_exit(), 1);
    err = read_stderr();
    {
        char *expected = g_strdup_printf(
            "tern: -record: cannot open '%s/no/such/dir/x.trace': No such file or directory\n",
            run.dir);
        assert_string_equal(err, expected);
        g_free(expected);
    }
    g_free(err);
}

/* Words that need quoting are g_shell_quote'd and read back as they were; -record is left out. */
static void test_args_line_round_trips_through_the_shell_parser(void **state)
{
    gchar **lines;
    char **words = NULL;
    static const char *const want[] = {"-nouserconfig", "-trace",   "a b",    "-trace", "it's",
                                       "-trace",        "#x",       "-trace", "",       "-trace",
                                       "\\\"$HOME\"",   "-version", NULL};

    spawn("-nouserconfig -trace 'a b' -trace \"it's\" -record @TRACE@ -trace '#x' -trace '' "
          "-trace '\\\"$HOME\"' -version");
    assert_int_equal(wait_exit(), 0);
    lines = trace_lines();
    assert_string_equal(lines[0], "tern-trace 1");
    assert_true(g_str_has_prefix(lines[1], "args -nouserconfig -trace "));
    assert_true(g_shell_parse_argv(lines[1] + 5, NULL, &words, NULL));
    assert_int_equal(g_strv_length(words), g_strv_length((gchar **)want));
    for (size_t i = 0; want[i]; i++) {
        assert_string_equal(words[i], want[i]);
    }
    /* -version: nothing runs, no machine to digest. */
    assert_string_equal(lines[2], "exit 0");
    assert_null(lines[3]);
    g_strfreev(words);
    g_strfreev(lines);
}

/* ---- signals ---------------------------------------------------------------------------- */

static void test_sigterm_mid_session_ends_the_trace_with_exit_0(void **state)
{
    gchar **lines;
    guint n;

    spawn("-record @TRACE@ " QTEST_STDIO_ARGS);
    expect_qtest(run.in, run.out, "writel 0x80000000 0x1234\n", "OK\n");
    /* A command cut in the middle: its bytes are recorded, with \c. */
    send_all(run.in, "readl 0x8000");
    wait_for_last_line("in qtest readl 0x8000\\c\n");
    kill(run.pid, SIGTERM);
    assert_int_equal(wait_exit(), 0);
    lines = trace_lines();
    n = g_strv_length(lines);
    assert_true(n >= 6);
    assert_string_equal(lines[n - 5], "out qtest OK");
    assert_string_equal(lines[n - 4], "in qtest readl 0x8000\\c");
    assert_string_equal(lines[n - 3], "signal 15");
    assert_true(is_digest(lines[n - 2]));
    assert_string_equal(lines[n - 1], "exit 0");
    g_strfreev(lines);
}

static void test_sigkill_leaves_every_line_complete(void **state)
{
    gchar **lines;
    guint n;

    spawn("-record @TRACE@ " QTEST_STDIO_ARGS);
    for (int i = 0; i < 50; i++) {
        char *cmd = g_strdup_printf("writeq 0x%x 0x%x\n", 0x80000000 + 8 * i, i);
        expect_qtest(run.in, run.out, cmd, "OK\n");
        g_free(cmd);
    }
    kill(run.pid, SIGKILL);
    assert_int_equal(wait_exit(), 128 + SIGKILL);
    lines = trace_lines(); /* fails if the last line were cut */
    n = g_strv_length(lines);
    assert_int_equal(n, 2 + 2 * 50);
    for (guint i = 2; i < n; i++) {
        assert_true(g_str_has_prefix(lines[i], i % 2 ? "out qtest OK" : "in qtest writeq "));
    }
    assert_string_equal(lines[n - 2], "in qtest writeq 0x80000188 0x31");
    g_strfreev(lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, run_setup, run_teardown)
        T(test_qtest_stdio_session_is_recorded_line_by_line),
        T(test_recording_changes_no_reply),
        T(test_qtest_socket_session_and_disconnect),
        T(test_qmp_session_is_recorded),
        T(test_serial_output_is_recorded_under_its_chardev),
        T(test_startup_error_is_recorded_as_printed),
        T(test_unopenable_recording_is_one_error_line),
        T(test_args_line_round_trips_through_the_shell_parser),
        T(test_sigterm_mid_session_ends_the_trace_with_exit_0),
        T(test_sigkill_leaves_every_line_complete),
#undef T
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
