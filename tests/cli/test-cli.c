/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cli.c - every bad command line in bad-inputs.txt, through the public
 * entry points: the tern program (spawned) and tern_init() (in-process).
 *
 * For each case: exit status 1, nothing on stdout, exactly one line on stderr
 * that starts with "tern: " and contains the expected text, and nothing
 * written to the case's temporary directory.  In-process, tern_init() must
 * return TERN_INIT_ERROR with the same message, and tern_cleanup() must free
 * everything (LeakSanitizer checks under the sanitizer build).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/tern.h"
#include "tests/support/mutate.h"

typedef struct CliCase {
    char *args;     /* as written in the table */
    char *expected; /* as written in the table */
    int line;
} CliCase;

static const char *build_root, *source_root;

static char *replace_all(char *text, const char *token, const char *value)
{
    gchar **parts = g_strsplit(text, token, -1);
    char *result = g_strjoinv(value, parts);

    g_strfreev(parts);
    g_free(text);
    return result;
}

/*
 * @SRC@ and @TMP@; in ARGS also control characters, which the table cannot
 * hold as bytes: @LF@ @CR@ @TAB@ @ESC@ @DEL@ (inside quotes, they reach the
 * option value as they are).
 */
static char *substitute(const char *text, const char *tmpdir, bool controls)
{
    static const char *const control_tokens[][2] = {
        {"@LF@", "\n"}, {"@CR@", "\r"}, {"@TAB@", "\t"}, {"@ESC@", "\x1b"}, {"@DEL@", "\x7f"},
    };
    char *s = g_strdup(text);

    s = replace_all(s, "@SRC@", source_root);
    s = replace_all(s, "@TMP@", tmpdir);
    for (size_t i = 0; controls && i < G_N_ELEMENTS(control_tokens); i++) {
        s = replace_all(s, control_tokens[i][0], control_tokens[i][1]);
    }
    return s;
}

/*
 * Host files the cases name in @TMP@: what no image or config option can
 * use.  "big" is sparse (no disk space), above every size limit: RAM at any
 * -m the cases use, 2 MiB for -dtb, 1 MiB for -readconfig.
 */
#define FIXTURE_BIG_SIZE ((off_t)4 << 30)
static const char *const fixture_names[] = {"big", "dir", "fifo", "unreadable"};

static void make_fixtures(const char *tmpdir)
{
    char *big = g_build_filename(tmpdir, "big", NULL);
    char *dir = g_build_filename(tmpdir, "dir", NULL);
    char *fifo = g_build_filename(tmpdir, "fifo", NULL);
    char *unreadable = g_build_filename(tmpdir, "unreadable", NULL);
    int fd = open(big, O_WRONLY | O_CREAT | O_EXCL, 0644);

    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, FIXTURE_BIG_SIZE), 0);
    close(fd);
    assert_int_equal(g_mkdir(dir, 0755), 0);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    assert_true(g_file_set_contents(unreadable, "x", 1, NULL));
    assert_int_equal(chmod(unreadable, 0), 0);
    g_free(big);
    g_free(dir);
    g_free(fifo);
    g_free(unreadable);
}

/* Nothing written: the directory holds the fixtures, unchanged, and nothing else. */
static bool only_fixtures(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;
    bool ok = dir != NULL;
    unsigned seen = 0;

    while (ok && (name = g_dir_read_name(dir))) {
        bool fixture = false;

        for (size_t i = 0; i < G_N_ELEMENTS(fixture_names); i++) {
            fixture |= !strcmp(name, fixture_names[i]);
        }
        ok = fixture;
        seen++;
    }
    if (dir) {
        g_dir_close(dir);
    }
    if (ok) {
        char *big = g_build_filename(path, "big", NULL);
        char *sub = g_build_filename(path, "dir", NULL);
        struct stat st;
        GDir *d = g_dir_open(sub, 0, NULL);

        ok = seen == G_N_ELEMENTS(fixture_names) && stat(big, &st) == 0 &&
             st.st_size == FIXTURE_BIG_SIZE && d && g_dir_read_name(d) == NULL;
        if (d) {
            g_dir_close(d);
        }
        g_free(big);
        g_free(sub);
    }
    return ok;
}

static void remove_fixtures(const char *tmpdir)
{
    for (size_t i = 0; i < G_N_ELEMENTS(fixture_names); i++) {
        char *path = g_build_filename(tmpdir, fixture_names[i], NULL);

        assert_int_equal(g_remove(path), 0);
        g_free(path);
    }
}

/* Who runs the "unreadable" cases when the tests run as root: nobody. */
#define UNPRIVILEGED_ID 65534

/* In a child (forked or about to exec): become nobody, or end at once. */
static void drop_privileges(gpointer unused)
{
    if (setgroups(0, NULL) < 0 || setgid(UNPRIVILEGED_ID) < 0 || setuid(UNPRIVILEGED_ID) < 0) {
        _exit(126);
    }
}

/* A temporary file for a child's output, already unlinked: nothing is left behind. */
static int anonymous_tmp_fd(void)
{
    char *name = NULL;
    int fd = g_file_open_tmp("tern-cli-output-XXXXXX", &name, NULL);

    assert_true(fd >= 0);
    g_unlink(name);
    g_free(name);
    return fd;
}

/* Longest a bad command line may take before it counts as hung. */
#define CASE_DEADLINE_S 20

/*
 * Runs argv in cwd with stdin from /dev/null, output collected; a program
 * still running after CASE_DEADLINE_S seconds gets SIGTERM (then SIGKILL)
 * and fails the test: a bad input must never hang.
 */
static void spawn_with_deadline(const char *cwd, char **argv, bool unprivileged, char **out,
                                char **err, int *status)
{
    int out_fd = anonymous_tmp_fd();
    int err_fd = anonymous_tmp_fd();
    gint64 deadline = g_get_monotonic_time() + CASE_DEADLINE_S * G_USEC_PER_SEC;
    bool hung = false;
    GPid pid;

    assert_true(out_fd >= 0 && err_fd >= 0);
    assert_true(g_spawn_async_with_fds(
        cwd, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
        unprivileged ? drop_privileges : NULL, NULL, &pid, -1, out_fd, err_fd, NULL));
    while (waitpid(pid, status, WNOHANG) == 0) {
        if (g_get_monotonic_time() > deadline) {
            hung = true;
            kill(pid, SIGTERM);
            g_usleep(2 * G_USEC_PER_SEC);
            kill(pid, SIGKILL);
            assert_int_equal(waitpid(pid, status, 0), pid);
            break;
        }
        g_usleep(10 * 1000);
    }
    for (int i = 0; i < 2; i++) {
        int fd = i ? err_fd : out_fd;
        char **text = i ? err : out;
        off_t size = lseek(fd, 0, SEEK_END);

        assert_true(size >= 0);
        *text = g_malloc0((size_t)size + 1);
        assert_int_equal(pread(fd, *text, (size_t)size, 0), (ssize_t)size);
        close(fd);
    }
    if (hung) {
        print_error("tern %s did not end within %d s (stderr: '%s')\n", argv[1], CASE_DEADLINE_S,
                    *err);
        fail();
    }
}

static void run_case(void **state)
{
    const CliCase *c = *state;
    char *tmpdir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
    char *args = substitute(c->args, tmpdir, true);
    char *expected = substitute(c->expected, tmpdir, false);
    char *cmdline = g_strdup_printf("tern %s", args);
    char **argv = NULL, *out = NULL, *err_text = NULL;
    int argc = 0, status = -1;
    GError *gerr = NULL;
    Error *err = NULL;
    /* root reads a mode-000 file: those cases run as an unprivileged user instead. */
    bool unprivileged = strstr(c->args, "@TMP@/unreadable") && geteuid() == 0;

    print_message("# line %d: tern %s\n", c->line, c->args);
    assert_true(g_shell_parse_argv(cmdline, &argc, &argv, &gerr));
    make_fixtures(tmpdir);
    if (unprivileged) {
        print_message("# line %d runs as uid %d: root reads a mode-000 file anyway\n", c->line,
                      UNPRIVILEGED_ID);
        assert_int_equal(chmod(tmpdir, 0755), 0);
    }

    /* In-process: the library's answer.  A hang ends the whole program (SIGALRM). */
    if (unprivileged) {
        pid_t child = fork();

        assert_true(child >= 0);
        if (child == 0) {
            bool ok;

            drop_privileges(NULL);
            alarm(CASE_DEADLINE_S);
            ok = tern_init(argc, argv, &err) == TERN_INIT_ERROR && err;
            if (ok) {
                char *line = g_strdup_printf("tern: %s", error_get_pretty(err));
                ok = strstr(line, expected) && mutate_is_one_safe_line(line);
                if (!ok) {
                    fprintf(stderr, "in-process error '%s' lacks '%s'\n", line, expected);
                }
            }
            _exit(ok ? 0 : 1);
        }
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        err = NULL;
    } else {
        alarm(CASE_DEADLINE_S);
        assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
        alarm(0);
        assert_non_null(err);
        char *line = g_strdup_printf("tern: %s", error_get_pretty(err));
        if (!strstr(line, expected)) {
            print_error("in-process error '%s' lacks '%s'\n", line, expected);
            fail();
        }
        assert_true(mutate_is_one_safe_line(line));
        g_free(line);
    }
    error_free(err);
    tern_cleanup();
    assert_true(only_fixtures(tmpdir));

    /* The program: one line, status 1, nothing on stdout, within the deadline. */
    g_free(argv[0]);
    argv[0] = g_build_filename(build_root, "tern", NULL);
    spawn_with_deadline(tmpdir, argv, unprivileged, &out, &err_text, &status);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_string_equal(out, "");
    assert_true(g_str_has_prefix(err_text, "tern: "));
    assert_true(g_str_has_suffix(err_text, "\n"));
    assert_ptr_equal(strchr(err_text, '\n'), err_text + strlen(err_text) - 1);
    {
        char *text = g_strndup(err_text, strlen(err_text) - 1);
        assert_true(mutate_is_one_safe_line(text));
        g_free(text);
    }
    if (!strstr(err_text, expected)) {
        print_error("stderr '%s' lacks '%s'\n", err_text, expected);
        fail();
    }
    assert_true(only_fixtures(tmpdir));

    remove_fixtures(tmpdir);
    assert_int_equal(g_rmdir(tmpdir), 0);
    g_free(out);
    g_free(err_text);
    g_strfreev(argv);
    g_free(cmdline);
    g_free(args);
    g_free(expected);
    g_free(tmpdir);
}

/* ---- good runs of the programs ------------------------------------------------ */

static char *program(const char *name)
{
    return g_build_filename(build_root, name, NULL);
}

/* Runs argv to completion; returns its exit status, -1 if it did not exit normally. */
static int run_program(char **argv, char **out, char **err)
{
    int status;

    assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, out, err,
                             &status, NULL));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_version_exits_zero(void **state)
{
    char *argv[] = {program("tern"), "-version", NULL};
    char *out, *err;

    assert_int_equal(run_program(argv, &out, &err), 0);
    assert_true(g_str_has_prefix(out, "Tern emulator version "));
    assert_string_equal(err, "");
    g_free(out);
    g_free(err);
    g_free(argv[0]);
}

static void test_other_programs_link_the_core(void **state)
{
    static const char *const names[] = {"tern-replay", "tern-fuzz"};

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *argv[] = {program(names[i]), "--version", NULL};
        char *out, *err;

        assert_int_equal(run_program(argv, &out, &err), 0);
        assert_true(g_str_has_prefix(out, names[i]));
        g_free(out);
        g_free(err);
        g_free(argv[0]);
    }
}

/*
 * Starts tern with args in dir (NULL: here) and stdin_fd (-1: /dev/null),
 * checks it is still running after 300 ms (the main loop or a start-up wait
 * waits instead of exiting), sends signo and returns its exit status (-1 if
 * it did not exit normally) with its stderr in *err_text (NULL: dropped).
 * A tern that is still running 10 s after the signal fails the test.
 */
static int run_until_signal_in(const char *dir, char **args, int stdin_fd, int signo,
                               char **err_text)
{
    GPtrArray *argv = g_ptr_array_new();
    int err_fd = anonymous_tmp_fd();
    gint64 deadline;
    GPid pid;
    int status;
    off_t size;

    g_ptr_array_add(argv, program("tern"));
    for (char **a = args; *a; a++) {
        g_ptr_array_add(argv, *a);
    }
    g_ptr_array_add(argv, NULL);
    assert_true(g_spawn_async_with_fds(dir, (char **)argv->pdata, NULL,
                                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                           (stdin_fd < 0 ? G_SPAWN_STDIN_FROM_DEV_NULL : 0),
                                       NULL, NULL, &pid, stdin_fd, -1, err_fd, NULL));
    g_usleep(300 * 1000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
    kill(pid, signo);
    deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (g_get_monotonic_time() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail_msg("tern ignored signal %d", signo);
        }
        g_usleep(10 * 1000);
    }
    if (err_text) {
        size = lseek(err_fd, 0, SEEK_END);
        *err_text = g_malloc0((size_t)size + 1);
        assert_int_equal(pread(err_fd, *err_text, (size_t)size, 0), (ssize_t)size);
    }
    close(err_fd);
    g_free(argv->pdata[0]);
    g_ptr_array_free(argv, TRUE);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_until_signal(char **args, int signo)
{
    return run_until_signal_in(NULL, args, -1, signo, NULL);
}

/* QEMU's line for a signal sent by this process: its pid and argv[0]. */
static char *expected_signal_line(int signo)
{
    char *cmdline = NULL, *line;

    assert_true(g_file_get_contents("/proc/self/cmdline", &cmdline, NULL, NULL));
    line = g_strdup_printf("tern: terminating on signal %d from pid %d (%s)\n", signo,
                           (int)getpid(), cmdline);
    g_free(cmdline);
    return line;
}

/* args with every "@TMP@" replaced by dir (a fresh temporary directory). */
static char **args_in(const char *const *args, const char *dir)
{
    GPtrArray *out = g_ptr_array_new();

    for (const char *const *a = args; *a; a++) {
        gchar **parts = g_strsplit(*a, "@TMP@", -1);
        g_ptr_array_add(out, g_strjoinv(dir, parts));
        g_strfreev(parts);
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

/* Runs args (with @TMP@ and a FIFO @TMP@/fifo), sends signo; exit 0 and exactly expected on stderr.
 */
static void expect_signal_shutdown(const char *const *args, int signo, bool message)
{
    char *dir = g_dir_make_tmp("tern-cli-sig-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "fifo", NULL);
    char **argv = args_in(args, dir);
    char *err = NULL, *expected = message ? expected_signal_line(signo) : g_strdup("");

    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(run_until_signal_in(dir, argv, -1, signo, &err), 0);
    if (strcmp(err, expected)) {
        print_error("stderr '%s', expected '%s'\n", err, expected);
        fail();
    }
    g_free(err);
    g_free(expected);
    g_strfreev(argv);
    unlink(fifo);
    g_free(fifo);
    /* What the run left (a socket file is removed, a FIFO stays as it was). */
    {
        GDir *d = g_dir_open(dir, 0, NULL);
        const char *name;

        while ((name = g_dir_read_name(d))) {
            char *path = g_build_filename(dir, name, NULL);
            unlink(path);
            g_free(path);
        }
        g_dir_close(d);
    }
    g_rmdir(dir);
    g_free(dir);
}

static void test_sigterm_ends_the_main_loop_with_status_0(void **state)
{
    static const char *const args[] = {"-nouserconfig", "-M", "none", NULL};

    expect_signal_shutdown(args, SIGTERM, true);
}

static void test_sigint_ends_the_virt_machine_with_status_0(void **state)
{
    static const char *const args[] = {"-nouserconfig", "-M",   "virt", "-nographic",
                                       "-serial",       "null", NULL};

    expect_signal_shutdown(args, SIGINT, true);
}

static void test_sighup_ends_a_stopped_machine_with_status_0(void **state)
{
    static const char *const args[] = {"-nouserconfig", "-M",   "virt", "-S",
                                       "-display",      "none", NULL};

    expect_signal_shutdown(args, SIGHUP, true);
}

static void test_sigterm_while_a_tcp_server_waits_for_its_client_is_a_shutdown(void **state)
{
    static const char *const args[] = {"-nouserconfig",
                                       "-M",
                                       "none",
                                       "-chardev",
                                       "socket,id=c0,host=127.0.0.1,port=0,server=on,wait=on",
                                       NULL};

    expect_signal_shutdown(args, SIGTERM, true);
}

static void test_sigint_while_a_unix_qmp_server_waits_for_its_client_is_a_shutdown(void **state)
{
    static const char *const args[] = {
        "-nouserconfig", "-M", "none", "-qmp", "unix:@TMP@/qmp.sock,server=on,wait=on", NULL};

    expect_signal_shutdown(args, SIGINT, true);
}

/* As QEMU: no line under -qtest (test harnesses end their servers with SIGTERM). */
static void test_sigterm_while_the_qtest_server_waits_is_a_quiet_shutdown(void **state)
{
    static const char *const args[] = {"-nouserconfig",
                                       "-M",
                                       "virt",
                                       "-accel",
                                       "qtest",
                                       "-qtest",
                                       "unix:@TMP@/qtest.sock,server=on,wait=on",
                                       NULL};

    expect_signal_shutdown(args, SIGTERM, false);
}

static void test_sigterm_while_output_fifos_wait_for_a_reader_is_a_shutdown(void **state)
{
    static const char *const serial[] = {
        "-nouserconfig", "-M", "virt", "-display", "none", "-serial", "file:@TMP@/fifo", NULL};
    static const char *const chardev[] = {
        "-nouserconfig", "-M", "none", "-chardev", "file,id=f0,path=@TMP@/fifo", NULL};
    static const char *const log[] = {"-nouserconfig", "-M", "none",       "-d",
                                      "guest_errors",  "-D", "@TMP@/fifo", NULL};

    expect_signal_shutdown(serial, SIGTERM, true);
    expect_signal_shutdown(chardev, SIGHUP, true);
    expect_signal_shutdown(log, SIGINT, true);
}

/* A FIFO's reader ends the wait: the run goes on, and serial output reaches the reader. */
static void test_an_output_fifo_waits_for_its_reader_then_runs(void **state)
{
    char *dir = g_dir_make_tmp("tern-cli-sig-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "fifo", NULL);
    char *log_arg = g_strdup_printf("file:%s", fifo);
    char *argv[] = {program("tern"), "-nouserconfig", "-M",    "none", "-d",
                    "guest_errors",  "-serial",       log_arg, NULL};
    GPid pid;
    int status, fd;

    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_true(g_spawn_async(NULL, argv, NULL,
                              G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL |
                                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                              NULL, NULL, &pid, NULL));
    g_usleep(200 * 1000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
    fd = open(fifo, O_RDONLY); /* the reader tern waits for */
    assert_true(fd >= 0);
    g_usleep(200 * 1000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0); /* past start-up, in its main loop */
    kill(pid, SIGTERM);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(fd);
    unlink(fifo);
    g_rmdir(dir);
    g_free(argv[0]);
    g_free(log_arg);
    g_free(fifo);
    g_free(dir);
}

/* As QEMU, -machine dumpdtb= and -writeconfig replace a FIFO by the file: they never wait. */
static void test_dumpdtb_and_writeconfig_replace_a_fifo_without_waiting(void **state)
{
    char *dir = g_dir_make_tmp("tern-cli-sig-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "fifo", NULL);
    char *dump = g_strdup_printf("virt,dumpdtb=%s", fifo);
    char *dtb_argv[] = {program("tern"), "-nouserconfig", "-M", dump, "-bios", "none", NULL};
    char *cfg_args[] = {"-nouserconfig", "-M", "none", "-writeconfig", fifo, NULL};
    char *out, *err;
    struct stat st;

    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(run_program(dtb_argv, &out, &err), 0);
    assert_int_equal(stat(fifo, &st), 0);
    assert_true(S_ISREG(st.st_mode) && st.st_size > 0);
    g_free(out);
    g_free(err);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* The config is written at the end of start-up; then the machine runs until told. */
    assert_int_equal(run_until_signal(cfg_args, SIGTERM), 0);
    assert_int_equal(stat(fifo, &st), 0);
    assert_true(S_ISREG(st.st_mode) && st.st_size > 0);
    unlink(fifo);
    g_rmdir(dir);
    g_free(dtb_argv[0]);
    g_free(dump);
    g_free(fifo);
    g_free(dir);
}

static void test_embedded_default_config_runs(void **state)
{
    char *cfg = g_build_filename(source_root, "docs", "examples", "virt-default.cfg", NULL);
    char *args[] = {"-nouserconfig", "-readconfig", cfg, NULL};

    assert_int_equal(run_until_signal(args, SIGTERM), 0);
    g_free(cfg);
}

/*
 * A config read from a pipe waits for its writer, as it should; SIGTERM
 * meanwhile is a shutdown request like SIGTERM in the main loop: tern ends
 * promptly with QEMU's line and status 0.
 */
#define STATUS_SIGNAL_DURING_STARTUP 0

/* Sends SIGTERM to tern waiting on stdin_fd (-1: /dev/null); QEMU's line, status 0. */
static void expect_sigterm_while_reading_config(char **args, int stdin_fd)
{
    char *err, *expected = expected_signal_line(SIGTERM);

    assert_int_equal(run_until_signal_in(NULL, args, stdin_fd, SIGTERM, &err),
                     STATUS_SIGNAL_DURING_STARTUP);
    assert_string_equal(err, expected);
    g_free(err);
    g_free(expected);
}

static void test_sigterm_while_a_config_fifo_waits_for_its_writer(void **state)
{
    char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "config", NULL);
    char *args[] = {"-nouserconfig", "-readconfig", fifo, NULL};

    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect_sigterm_while_reading_config(args, -1);
    g_remove(fifo);
    g_rmdir(dir);
    g_free(fifo);
    g_free(dir);
}

static void test_sigterm_while_stdin_config_waits_for_input(void **state)
{
    char *args[] = {"-nouserconfig", "-readconfig", "-", NULL};
    int p[2];

    assert_int_equal(pipe(p), 0);
    /* The write end stays open here, silent: tern waits on its stdin. */
    expect_sigterm_while_reading_config(args, p[0]);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    char *path, *contents = NULL;
    gchar **lines;
    GArray *tests = g_array_new(FALSE, TRUE, sizeof(struct CMUnitTest));
    GPtrArray *cases = g_ptr_array_new();
    int rc;

    build_root = g_getenv("TERN_BUILD_ROOT");
    source_root = g_getenv("TERN_SOURCE_ROOT");
    if (!build_root || !source_root) {
        fprintf(stderr,
                "test-cli: TERN_BUILD_ROOT and TERN_SOURCE_ROOT must be set (meson does)\n");
        return 1;
    }
    path = g_build_filename(source_root, "tests", "cli", "bad-inputs.txt", NULL);
    if (!g_file_get_contents(path, &contents, NULL, NULL)) {
        fprintf(stderr, "test-cli: cannot read %s\n", path);
        return 1;
    }
    lines = g_strsplit(contents, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char *tab = strchr(lines[i], '\t');
        CliCase *c;
        struct CMUnitTest t = {0};

        if (lines[i][0] == '#' || !lines[i][0]) {
            continue;
        }
        if (!tab) {
            fprintf(stderr, "test-cli: %s:%d: no tab between arguments and expected text\n", path,
                    i + 1);
            return 1;
        }
        c = g_new0(CliCase, 1);
        c->args = g_strndup(lines[i], tab - lines[i]);
        c->expected = g_strdup(tab + 1);
        c->line = i + 1;
        g_ptr_array_add(cases, c);
        t.name = g_strdup_printf("bad input line %d: %s", c->line, c->args);
        t.test_func = run_case;
        t.initial_state = c;
        g_array_append_val(tests, t);
    }
    {
        const struct CMUnitTest runs[] = {
            cmocka_unit_test(test_version_exits_zero),
            cmocka_unit_test(test_other_programs_link_the_core),
            cmocka_unit_test(test_sigterm_ends_the_main_loop_with_status_0),
            cmocka_unit_test(test_sigint_ends_the_virt_machine_with_status_0),
            cmocka_unit_test(test_sighup_ends_a_stopped_machine_with_status_0),
            cmocka_unit_test(test_sigterm_while_a_tcp_server_waits_for_its_client_is_a_shutdown),
            cmocka_unit_test(
                test_sigint_while_a_unix_qmp_server_waits_for_its_client_is_a_shutdown),
            cmocka_unit_test(test_sigterm_while_the_qtest_server_waits_is_a_quiet_shutdown),
            cmocka_unit_test(test_sigterm_while_output_fifos_wait_for_a_reader_is_a_shutdown),
            cmocka_unit_test(test_an_output_fifo_waits_for_its_reader_then_runs),
            cmocka_unit_test(test_dumpdtb_and_writeconfig_replace_a_fifo_without_waiting),
            cmocka_unit_test(test_embedded_default_config_runs),
            cmocka_unit_test(test_sigterm_while_a_config_fifo_waits_for_its_writer),
            cmocka_unit_test(test_sigterm_while_stdin_config_waits_for_input),
        };
        for (size_t i = 0; i < G_N_ELEMENTS(runs); i++) {
            g_array_append_val(tests, runs[i]);
        }
    }
    rc = _cmocka_run_group_tests("cli", (struct CMUnitTest *)tests->data, tests->len, NULL, NULL);
    for (guint i = 0; i < cases->len; i++) {
        g_free((char *)g_array_index(tests, struct CMUnitTest, i).name);
    }
    for (guint i = 0; i < cases->len; i++) {
        CliCase *c = cases->pdata[i];
        g_free(c->args);
        g_free(c->expected);
        g_free(c);
    }
    g_ptr_array_free(cases, TRUE);
    g_array_free(tests, TRUE);
    g_strfreev(lines);
    g_free(contents);
    g_free(path);
    return rc;
}
